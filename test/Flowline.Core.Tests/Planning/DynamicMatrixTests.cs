using Flowline.Planning;

namespace Flowline.Core.Tests.Planning;

/// <summary>Issue 13: a matrix axis read from a step's output, planned as one step and expanded by the run (docs/matrix.md).</summary>
public sealed class DynamicMatrixTests
{
    private static WorkflowDefinition Load(string steps) =>
        WorkflowLoader.Parse($"name: m\nversion: 1.0.0\nsteps:\n{steps}", "m.yaml").Definition!;

    private const string Shards = """
          - id: plan
            name: Plan
            type: script
            config: { command: echo, args: ['["a", "b.c", "a"]'] }
          - id: shard
            name: Shard
            type: script
            matrix:
              part: "{{ steps.plan.output }}"
              exclude: [{ part: b.c }]
              include: [{ part: z }]
            config: { command: echo, args: ["part {{ matrix.part }}"] }
          - id: after
            name: After
            type: script
            dependsOn: [shard]
            config: { command: echo, args: ["{{ steps.shard.output }} {{ steps.shard.success }} {{ steps.shard-z.output }}"] }
        """;

    [Fact]
    public void The_matrix_is_one_step_that_waits_for_the_step_it_reads()
    {
        var plan = new WorkflowValidator().Validate(Load(Shards)).Plan!;

        Assert.True(plan.CanRun, string.Join("\n", plan.Problems));
        Assert.Equal(["plan", "shard", "after"], plan.Steps.Select(s => s.Id));
        Assert.True(plan.TryGetStep("shard", out var shard));
        Assert.Equal(["plan"], shard.ImplicitDependencies);
        Assert.Equal("part ← steps.plan.output", shard.DynamicMatrix!.Source);
        Assert.Empty(plan.MatrixGroups);
    }

    [Fact]
    public void Planning_again_with_the_values_keeps_every_index_and_appends_the_instances_with_the_static_ids()
    {
        var plan = new WorkflowValidator().Validate(Load(Shards)).Plan!;

        var grown = plan.WithMatrixValues(new DynamicMatrixValues("shard", new Dictionary<string, IReadOnlyList<object?>> { ["part"] = ["a", "b.c", "a"] }));

        Assert.True(grown.CanRun, string.Join("\n", grown.Problems));
        Assert.Equal(["plan", "shard", "after", "shard-a", "shard-a-2", "shard-z"], grown.Steps.Select(s => s.Id));
        Assert.Equal(["shard-a", "shard-a-2", "shard-z"], grown.MatrixGroups["shard"]);
        Assert.Equal("Shard (z)", grown.Steps[5].Step.Name);
        Assert.True(grown.TryGetStep("shard-a", out var instance));
        Assert.Equal(["shard"], instance.Dependencies);
        Assert.True(grown.TryGetStep("after", out var after));
        Assert.Equal(["shard", "shard-a", "shard-a-2", "shard-z"], after.Dependencies);
    }

    [Fact]
    public void An_expansion_beyond_the_limit_leaves_the_step_with_a_message_naming_the_axis_and_its_length()
    {
        var plan = new WorkflowValidator().Validate(Load(Shards.Replace("exclude: [{ part: b.c }]", "limit: 2", StringComparison.Ordinal))).Plan!;

        var grown = plan.WithMatrixValues(new DynamicMatrixValues("shard", new Dictionary<string, IReadOnlyList<object?>> { ["part"] = ["a", "b", "c"] }));

        Assert.False(grown.MatrixGroups.ContainsKey("shard"));
        Assert.True(grown.TryGetStep("shard", out var shard));
        Assert.Contains("more than 2 instances", shard.MatrixProblem, StringComparison.Ordinal);
        Assert.Contains("'part' ({{ steps.plan.output }}) gave a list of 3 values", shard.MatrixProblem, StringComparison.Ordinal);
        Assert.Contains(DiagnosticCodes.DynamicMatrixOverLimit, shard.MatrixProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_expands_it_when_the_step_it_reads_has_finished_and_the_dependent_reads_every_instance()
    {
        var runner = new WorkflowRunner();
        var plan = runner.Validate(Load(Shards)).Plan!;

        var result = await runner.ExecuteAsync(plan);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(["plan", "shard", "after", "shard-a", "shard-a-2", "shard-z"], result.StepResults.Keys);
        Assert.Equal(StepStatus.Completed, result.StepResults["shard"].Status);
        Assert.Equal("part a", result.StepResults["shard-a-2"].Output);
        Assert.Equal("[\"part a\",\"part a\",\"part z\"] true part z", result.StepResults["after"].Output);
        Assert.Contains("Shard (a)", runner.GenerateDetailedReport(plan.Workflow, result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_list_skips_the_matrix_step_and_its_dependents_run()
    {
        var runner = new WorkflowRunner();
        var plan = runner.Validate(Load(Shards.Replace("'[\"a\", \"b.c\", \"a\"]'", "'[]'", StringComparison.Ordinal)
            .Replace("include: [{ part: z }]", "", StringComparison.Ordinal).Replace(" {{ steps.shard-z.output }}", "", StringComparison.Ordinal))).Plan!;

        var result = await runner.ExecuteAsync(plan);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(["plan", "shard", "after"], result.StepResults.Keys);
        Assert.Equal(StepStatus.Skipped, result.StepResults["shard"].Status);
        Assert.Contains("no instances", result.StepResults["shard"].SkipReason, StringComparison.Ordinal);
        Assert.Equal("[] true", result.StepResults["after"].Output);
    }

    [Fact]
    public async Task An_axis_that_is_not_a_list_fails_the_step_and_continue_on_error_lets_the_run_go_on()
    {
        var runner = new WorkflowRunner();
        var plan = runner.Validate(Load(Shards.Replace("'[\"a\", \"b.c\", \"a\"]'", "'just text'", StringComparison.Ordinal)
            .Replace("    name: Shard\n", "    name: Shard\n    continueOnError: true\n", StringComparison.Ordinal)
            .Replace("{{ steps.shard.output }} {{ steps.shard.success }} {{ steps.shard-z.output }}", "after {{ steps.shard.status }}", StringComparison.Ordinal))).Plan!;

        var result = await runner.ExecuteAsync(plan);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        var error = result.StepResults["shard"].Error;
        Assert.Equal(StepStatus.Failed, result.StepResults["shard"].Status);
        Assert.Contains("the matrix axis 'part' of step 'shard' ({{ steps.plan.output }}) yielded the text \"just text\", not a list", error, StringComparison.Ordinal);
        Assert.Contains("make step 'plan' give a list", error, StringComparison.Ordinal);
        Assert.Contains(DiagnosticCodes.DynamicMatrixNotList, error, StringComparison.Ordinal);
        Assert.Equal("after failed", result.StepResults["after"].Output);
    }

    [Fact]
    public async Task A_run_without_a_dynamic_matrix_reports_no_grown_workflow()
    {
        var runner = new WorkflowRunner();
        var plan = runner.Validate(Load("""
              - id: one
                name: One
                type: script
                config: { command: "true" }
            """)).Plan!;

        var result = await runner.ExecuteAsync(plan);

        Assert.Null(result.Workflow);
    }
}
