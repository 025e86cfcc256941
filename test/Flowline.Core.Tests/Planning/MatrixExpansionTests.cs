using Flowline.Planning;

namespace Flowline.Core.Tests.Planning;

/// <summary>Issue 13: how a <c>matrix:</c> becomes instances in the plan (docs/matrix.md "Order and ids").</summary>
public sealed class MatrixExpansionTests
{
    private static WorkflowDefinition Load(string steps) =>
        WorkflowLoader.Parse($"name: m\nversion: 1.0.0\nsteps:\n{steps}", "m.yaml").Definition!;

    private static WorkflowPlan Plan(string steps) => new WorkflowValidator().Validate(Load(steps)).Plan!;

    private const string Test = """
          - id: test
            name: Test
            type: script
            matrix:
              os: [linux, mac]
              node: [18, 20]
              exclude: [{ os: mac, node: 18 }]
              include: [{ os: linux, node: 22 }, { os: linux, node: 20 }]
            config: { command: echo, args: ["{{ matrix.os }}"] }
          - id: after
            name: After
            type: script
            dependsOn: [test]
            config: { command: echo, args: ["{{ steps.test.output }}"] }
        """;

    [Fact]
    public void Instances_follow_the_cross_product_then_exclude_then_include_and_an_include_already_there_is_not_repeated()
    {
        var plan = Plan(Test);

        Assert.True(plan.CanRun, string.Join("\n", plan.Problems));
        Assert.Equal(["test-linux-18", "test-linux-20", "test-mac-20", "test-linux-22", "after"], plan.Steps.Select(s => s.Id));
        Assert.Equal("Test (mac, 20)", plan.Steps[2].Step.Name);
        Assert.Equal(new MatrixInstance { Of = "test", Index = 2, Values = plan.Steps[2].Step.Instance!.Values }, plan.Steps[2].Step.Instance);
        Assert.Equal(20L, plan.Steps[2].Step.Instance!.Values["node"]);
    }

    [Fact]
    public void A_step_depending_on_the_matrix_waits_for_every_instance()
    {
        var plan = Plan(Test);

        Assert.True(plan.TryGetStep("after", out var after));
        Assert.Equal(["test-linux-18", "test-linux-20", "test-mac-20", "test-linux-22"], after.Dependencies);
        Assert.Equal(1, after.Level);
    }

    [Fact]
    public void Values_that_are_no_id_characters_become_underscores_and_ids_that_would_collide_get_a_number()
    {
        var plan = Plan("""
              - id: lint
                name: Lint
                type: script
                matrix: { file: [a.txt, a_txt, "a/txt", ""] }
                config: { command: "true" }
            """);

        Assert.Equal(["lint-a_txt", "lint-a_txt-2", "lint-a_txt-3", "lint-_"], plan.Steps.Select(s => s.Id));
    }

    [Fact]
    public void A_list_variable_axis_is_planned_with_its_default_and_again_with_the_values_of_a_run()
    {
        var definition = WorkflowLoader.Parse("""
            name: m
            version: 1.0.0
            variables:
              files: { type: list, default: [a, b] }
            steps:
              - id: lint
                name: Lint
                type: script
                matrix: { file: "{{ variables.files }}" }
                config: { command: "true" }
            """, "m.yaml").Definition!;
        var plan = new WorkflowValidator().Validate(definition).Plan!;

        Assert.Equal(["lint-a", "lint-b"], plan.Steps.Select(s => s.Id));
        Assert.Same(plan, plan.WithVariables(new Dictionary<string, object?>()));
        var other = plan.WithVariables(new Dictionary<string, object?> { ["files"] = new object?[] { "x", "y", "z" } });
        Assert.Equal(["lint-x", "lint-y", "lint-z"], other.Steps.Select(s => s.Id));
        Assert.Same(definition, other.Definition);
    }

    [Fact]
    public void A_workflow_without_a_matrix_is_its_own_plan_workflow()
    {
        var definition = Load("""
              - id: a
                name: A
                type: script
                config: { command: "true" }
            """);

        var plan = new WorkflowValidator().Validate(definition).Plan!;

        Assert.Same(definition, plan.Workflow);
        Assert.Same(plan, plan.WithVariables(new Dictionary<string, object?> { ["x"] = 1 }));
        Assert.Empty(plan.MatrixGroups);
    }

    [Fact]
    public async Task Instances_read_their_values_and_the_dependent_reads_the_list_of_outputs_and_each_instance()
    {
        var runner = new WorkflowRunner();
        var plan = runner.Validate(Load("""
              - id: test
                name: Test
                type: script
                matrix: { os: [linux, mac], node: [18] }
                config: { command: echo, args: ["{{ matrix.os }}/{{ matrix.node }}"] }
              - id: after
                name: After
                type: script
                config: { command: echo, args: ["{{ steps.test.output }} {{ steps.test.success }} {{ steps.test.status }} {{ steps.test.instances[1].output }}"] }
            """)).Plan!;

        var result = await runner.ExecuteAsync(plan);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal("mac/18", result.StepResults["test-mac-18"].Output);
        Assert.Equal("[\"linux/18\",\"mac/18\"] true completed mac/18", result.StepResults["after"].Output);
    }

    [Fact]
    public async Task A_failed_instance_makes_the_matrix_fail_for_a_step_that_reads_it_after_a_failure()
    {
        var runner = new WorkflowRunner();
        var plan = runner.Validate(Load("""
              - id: test
                name: Test
                type: script
                continueOnError: true
                matrix: { code: [0, 3] }
                config: { command: sh, args: ["-c", "exit {{ matrix.code }}"] }
              - id: after
                name: After
                type: script
                dependsOn: [test]
                config: { command: echo, args: ["{{ steps.test.success }} {{ steps.test.status }} {{ steps.test-3.exitCode }}"] }
            """)).Plan!;

        var result = await runner.ExecuteAsync(plan);

        Assert.Equal(StepStatus.Failed, result.StepResults["test-3"].Status);
        Assert.Equal("false failed 3", result.StepResults["after"].Output);
    }
}
