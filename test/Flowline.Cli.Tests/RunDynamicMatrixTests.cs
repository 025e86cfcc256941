using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// A matrix axis read from a step's output (issue 13, docs/matrix.md "Dynamic fan-out from a step's output") through
/// <c>flowline run</c>, <c>validate</c>, <c>graph</c>, <c>logs</c>, <c>show</c> and <c>resume</c> with real processes.
/// </summary>
public sealed class RunDynamicMatrixTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string StateDir => _dir.File("state");

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    /// <summary><c>plan</c> prints <paramref name="list"/>; <c>shard</c> fans out over it; <c>after</c> depends on <c>shard</c>.</summary>
    private string Flow(string list, string shardScript = "echo \"part {{ matrix.part }}\"", string matrixExtra = "", string afterScript = "echo \"after {{ steps.shard.status }} {{ steps.shard.output }}\"") =>
        _dir.Write("flow.yaml", Workflows.Of("dynamic", "",
            Workflows.Step("plan", "echo", [list]),
            Workflows.Sh("shard", shardScript, extra: $"matrix: {{ part: \"{{{{ steps.plan.output }}}}\"{matrixExtra} }}"),
            Workflows.Sh("after", afterScript, ["shard"])));

    [Fact]
    public async Task Each_value_of_the_step_output_runs_as_an_instance_and_the_dependent_waits_for_all_and_reads_their_outputs()
    {
        var flow = Flow("[\"unit\", \"e2e\", \"lint\"]", matrixExtra: ", maxParallel: 2");
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var steps = ReportJson.StepResults(report);
        Assert.Equal(["plan", "shard", "shard-unit", "shard-e2e", "shard-lint", "after"], steps.EnumerateObject().Select(p => p.Name));
        Assert.Equal("shard (e2e)", steps.GetProperty("shard-e2e").GetProperty("name").GetString());
        Assert.Equal("part lint", steps.GetProperty("shard-lint").GetProperty("output").GetString());
        Assert.Equal("completed", steps.GetProperty("shard").GetProperty("status").GetString());
        Assert.Contains("after | after completed [part unit,part e2e,part lint]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("shard | matrix expanded to 3 instances: shard-unit, shard-e2e, shard-lint", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Resources: matrix:shard", run.Stdout, StringComparison.Ordinal);

        var id = run.RunId;
        var logs = await Flowline("logs", id, "shard-e2e");
        Assert.Equal(0, logs.ExitCode);
        Assert.Contains("part e2e", logs.Stdout, StringComparison.Ordinal);

        var show = await Flowline("show", id, "--json");
        Assert.True(show.ExitCode == 0, show.Stdout + show.Stderr);
        using var shown = JsonDocument.Parse(show.Stdout);
        var shownSteps = shown.RootElement.GetProperty("stepResults");
        Assert.Equal(["plan", "shard", "shard-unit", "shard-e2e", "shard-lint", "after"], shownSteps.EnumerateObject().Select(p => p.Name));
        Assert.Equal("shard (lint)", shownSteps.GetProperty("shard-lint").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Instances_of_a_workflow_step_render_their_child_variables_and_return_the_child_outputs()
    {
        // Issue 13 with issue 14: the instances join the run after it started, so their config is found in the grown plan.
        _dir.Write("child.yaml", """
            name: child
            version: 1.0.0
            variables:
              part: { type: string }
            steps:
              - id: say
                name: Say
                type: script
                config: { command: echo, args: ["child {{ variables.part }}"] }
            outputs: { said: "{{ steps.say.output }}" }
            """);
        var flow = _dir.Write("flow.yaml", """
            name: fan-out-children
            version: 1.0.0
            steps:
              - id: plan
                name: Plan
                type: script
                config: { command: echo, args: ['["a", "b"]'] }
              - id: fan
                name: Fan
                type: workflow
                matrix: { p: "{{ steps.plan.output }}" }
                config:
                  path: ./child.yaml
                  variables: { part: "{{ matrix.p }}" }
              - id: after
                name: After
                type: script
                dependsOn: [fan]
                config: { command: echo, args: ["after {{ steps.fan.status }}"] }
            """);
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var steps = ReportJson.StepResults(report);
        Assert.Equal(["plan", "fan", "fan-a", "fan-a/say", "fan-b", "fan-b/say", "after"], steps.EnumerateObject().Select(p => p.Name));
        Assert.Equal("child a", steps.GetProperty("fan-a").GetProperty("outputs").GetProperty("said").GetString());
        Assert.Equal("child b", steps.GetProperty("fan-b/say").GetProperty("output").GetString());
        Assert.Contains("after | after completed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_that_is_not_a_list_fails_the_matrix_step_before_any_instance_starts()
    {
        var marker = _dir.File("ran");
        var flow = Flow("just text", shardScript: $"echo x >> {marker}");

        var run = await Flowline("run", flow);
        var output = run.Stdout + run.Stderr;

        Assert.Equal(1, run.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.Contains("the matrix axis 'part' of step 'shard' ({{ steps.plan.output }}) yielded the text \"just text\", not a list; make step 'plan' give a list", output, StringComparison.Ordinal);
        Assert.Contains("(FL3050)", output, StringComparison.Ordinal);
        Assert.Contains("after skipped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_longer_than_the_limit_fails_the_matrix_step_naming_the_limit_and_the_length()
    {
        var marker = _dir.File("ran");
        var flow = Flow("[1, 2, 3, 4]", shardScript: $"echo x >> {marker}", matrixExtra: ", limit: 3");

        var run = await Flowline("run", flow);
        var output = run.Stdout + run.Stderr;

        Assert.Equal(1, run.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.Contains("the matrix of step 'shard' would expand to more than 3 instances (its 'matrix.limit'): its axis 'part' ({{ steps.plan.output }}) gave a list of 4 values", output, StringComparison.Ordinal);
        Assert.Contains("(FL3051)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_list_skips_the_matrix_step_with_its_reason_and_the_dependent_runs()
    {
        var report = _dir.File("report.json");
        var flow = Flow("[]");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var steps = ReportJson.StepResults(report);
        Assert.Equal(["plan", "shard", "after"], steps.EnumerateObject().Select(p => p.Name));
        Assert.Equal("skipped", steps.GetProperty("shard").GetProperty("status").GetString());
        Assert.Contains("its matrix has no instances", steps.GetProperty("shard").GetProperty("skipReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("after | after skipped []", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_expands_the_same_instances_from_the_kept_output_and_runs_only_the_failed_one_again()
    {
        var once = _dir.File("once");
        var count = _dir.File("count");
        var flow = Flow("[\"a\", \"b\", \"c\"]",
            shardScript: $"echo {{{{ matrix.part }}}} >> {count}; if [ {{{{ matrix.part }}}} = b ] && [ ! -e {once} ]; then touch {once}; exit 3; fi; echo part-{{{{ matrix.part }}}}",
            afterScript: $"echo after >> {count}; echo \"{{{{ steps.shard.output }}}}\"");
        var first = await Flowline("run", flow, "--max-concurrency", "1");
        Assert.Equal(1, first.ExitCode);

        var resume = await Flowline("resume", first.RunId);

        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Contains("shard-a | kept from run", resume.Stdout, StringComparison.Ordinal);
        Assert.Contains("after | [part-a,part-b,part-c]", resume.Stdout, StringComparison.Ordinal);
        var ran = File.ReadAllLines(count);
        Assert.Equal(2, ran.Count(l => l == "b"));
        Assert.Equal(1, ran.Count(l => l == "a"));
        Assert.Equal(1, ran.Count(l => l == "after"));

        File.Delete(count);
        var from = await Flowline("resume", resume.RunId, "--from", "shard-c");
        Assert.True(from.ExitCode == 0, from.Stdout + from.Stderr);
        Assert.Equal(["c", "after"], File.ReadAllLines(count));
    }

    [Fact]
    public async Task Validate_accepts_the_axis_and_the_graph_shows_the_matrix_as_one_node_with_its_source()
    {
        var flow = Flow("[1]");

        var validate = await CliRunner.RunAsync(["validate", flow]);
        var graph = await CliRunner.RunAsync(["graph", flow, "--format", "text"]);

        Assert.True(validate.ExitCode == 0, validate.Stdout + validate.Stderr);
        Assert.True(graph.ExitCode == 0, graph.Stdout + graph.Stderr);
        Assert.Contains("shard [matrix: part ← steps.plan.output] <- plan (reads)", graph.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_refuses_an_unknown_step_with_did_you_mean_and_a_cycle_through_the_axis()
    {
        var unknown = _dir.Write("unknown.yaml", Workflows.Of("unknown", "",
            Workflows.Step("plan", "echo", ["[1]"]),
            Workflows.Sh("shard", "true", extra: "matrix: { part: \"{{ steps.plna.output }}\" }")));
        var cycle = _dir.Write("cycle.yaml", Workflows.Of("cycle", "",
            Workflows.Step("plan", "echo", ["[1]"], ["after"]),
            Workflows.Sh("shard", "true", extra: "matrix: { part: \"{{ steps.plan.output }}\" }"),
            Workflows.Sh("after", "true", ["shard"])));

        var first = await CliRunner.RunAsync(["validate", unknown]);
        var second = await CliRunner.RunAsync(["validate", cycle]);

        Assert.Equal(2, first.ExitCode);
        Assert.Matches(@"unknown\.yaml:\d+:\d+: error FL1156: The matrix axis 'part' of step 'shard' reads 'steps\.plna'.*Did you mean 'plan'\?", first.Stdout + first.Stderr);
        Assert.Equal(2, second.ExitCode);
        Assert.Matches(@"cycle\.yaml:\d+:\d+: error FL2003: .*the matrix of 'shard' fans out over steps\.plan", second.Stdout + second.Stderr);
    }
}
