using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary><c>matrix:</c> through <c>flowline run</c>, <c>validate</c>, <c>logs</c>, <c>show</c> and <c>resume</c> with real processes (issue 13, docs/matrix.md).</summary>
public sealed class RunMatrixTests : IDisposable
{
    // Workflows.Sh takes further keys one per line, so the matrix is written in flow style.
    private const string Matrix = "matrix: { os: [linux, mac], node: [18, 20], exclude: [{ os: mac, node: 18 }], include: [{ os: linux, node: 22 }] }";

    private readonly TempDir _dir = new();

    private string StateDir => _dir.File("state");

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    [Fact]
    public async Task A_static_matrix_runs_one_instance_per_combination_in_order_and_a_dependent_reads_their_outputs()
    {
        var flow = _dir.Write("matrix.yaml", Workflows.Of("matrix", "",
            Workflows.Sh("test", "echo \"{{ matrix.os }}-{{ matrix.node }}\"", extra: Matrix),
            Workflows.Sh("report", "echo \"all={{ steps.test.output }} ok={{ steps.test.success }} status={{ steps.test.status }} one={{ steps.test-mac-20.output }} second={{ steps.test.instances[1].output }}\"", ["test"])));
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var steps = ReportJson.StepResults(report);
        Assert.Equal(["test-linux-18", "test-linux-20", "test-mac-20", "test-linux-22", "report"], steps.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mac-20", steps.GetProperty("test-mac-20").GetProperty("output").GetString());
        Assert.Contains("report | all=[linux-18,linux-20,mac-20,linux-22] ok=true status=completed one=mac-20 second=linux-20", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("test-linux-22", run.Stdout, StringComparison.Ordinal);

        var id = run.RunId;
        var logs = await Flowline("logs", id, "test-linux-22");
        Assert.Equal(0, logs.ExitCode);
        Assert.Contains("linux-22", logs.Stdout, StringComparison.Ordinal);

        var show = await Flowline("show", id);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("test-mac-20", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("test-mac-18", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_graph_names_each_instance_after_its_values()
    {
        var flow = _dir.Write("names.yaml", """
            name: names
            version: 1.0.0
            steps:
              - id: test
                name: Test
                type: script
                matrix: { os: [linux], node: [18] }
                config: { command: "true" }
            """);
        var graph = await CliRunner.RunAsync(["graph", flow, "--format", "mermaid"]);

        Assert.True(graph.ExitCode == 0, graph.Stdout + graph.Stderr);
        Assert.Contains("Test (linux, 18)<br/><small>test-linux-18</small>", graph.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxParallel_one_runs_the_instances_one_after_another()
    {
        var trace = _dir.File("trace");
        var flow = _dir.Write("serial.yaml", Workflows.Of("serial", "",
            Workflows.Sh("work", $"echo start >> {trace}; sleep 0.05; echo end >> {trace}", extra: "matrix: { n: [1, 2, 3, 4], maxParallel: 1 }")));

        var run = await Flowline("run", flow, "--max-concurrency", "4");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["start", "end", "start", "end", "start", "end", "start", "end"], File.ReadAllLines(trace));
    }

    [Fact]
    public async Task An_axis_from_a_list_variable_expands_with_the_values_of_a_vars_file()
    {
        var flow = _dir.Write("files.yaml", Workflows.Of("files", "variables:\n  files: { type: list, default: [a.txt] }",
            Workflows.Sh("lint", "echo \"lint {{ matrix.file }}\"", extra: "matrix: { file: \"{{ variables.files }}\" }")));
        var vars = _dir.Write("vars.yaml", "files: [x.md, y.md]\n");
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--vars-file", vars, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["lint-x_md", "lint-y_md"], ReportJson.StepResults(report).EnumerateObject().Select(p => p.Name));
        Assert.Contains("lint-y_md | lint y.md", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_axis_whose_variable_is_not_a_list_fails_the_step_before_any_instance_starts()
    {
        var marker = _dir.File("ran");
        var flow = _dir.Write("text.yaml", Workflows.Of("text", "",
            Workflows.Sh("lint", $"echo x >> {marker}", extra: "matrix: { file: \"{{ variables.files }}\" }")));

        var run = await Flowline("run", flow, "--var", "files=just-one");

        Assert.Equal(1, run.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.Contains("the matrix axis 'file' of step 'lint' ({{ variables.files }}) yielded the text \"just-one\", not a list", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_matrix_beyond_its_limit_is_refused_by_validate_with_the_line()
    {
        var flow = _dir.Write("big.yaml", Workflows.Of("big", "",
            Workflows.Sh("many", "true", extra: "matrix: { a: [1, 2, 3], b: [1, 2, 3], limit: 4 }")));

        var run = await CliRunner.RunAsync(["validate", flow]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error FL1153: The matrix of step 'many' has more than 4 instances", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_points_at_an_unknown_axis_and_a_misspelt_matrix_value_with_did_you_mean()
    {
        var flow = _dir.Write("typo.yaml", Workflows.Of("typo", "",
            Workflows.Sh("test", "echo {{ matrix.nod }}", extra: "matrix: { os: [linux], node: [18], exclude: [{ oss: linux }] }")));

        var run = await CliRunner.RunAsync(["validate", flow]);
        var output = run.Stdout + run.Stderr;

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"typo\.yaml:\d+:\d+: error FL1151: An 'exclude' entry of the matrix of step 'test' names 'oss'.*Did you mean 'os'\?", output);
        Assert.Matches(@"typo\.yaml:\d+:\d+: error FL1154: .*'matrix\.nod'.*Did you mean 'node'\?", output);
    }

    [Fact]
    public async Task A_failed_instance_fails_the_matrix_and_resume_runs_only_that_instance_again()
    {
        var once = _dir.File("once");
        var count = _dir.File("count");
        var flow = _dir.Write("resume.yaml", Workflows.Of("resume", "",
            Workflows.Sh("test", $"echo {{{{ matrix.os }}}} >> {count}; if [ {{{{ matrix.os }}}} = mac ] && [ ! -e {once} ]; then touch {once}; exit 3; fi", extra: "matrix: { os: [linux, mac] }\nparallel: { isolateErrors: true }"),
            Workflows.Sh("after", "echo \"ok={{ steps.test.success }}\"", ["test"])));

        var first = await Flowline("run", flow);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains("after", first.Stdout, StringComparison.Ordinal);

        var resume = await Flowline("resume", first.RunId);

        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Equal(["linux", "mac", "mac"], File.ReadAllLines(count).Order(StringComparer.Ordinal));
        Assert.Contains("after | ok=true", resume.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_from_one_instance_runs_it_and_its_dependents_and_from_the_matrix_runs_every_instance()
    {
        var count = _dir.File("count");
        var flow = _dir.Write("from.yaml", Workflows.Of("from", "",
            Workflows.Sh("test", $"echo {{{{ matrix.os }}}} >> {count}", extra: "matrix: { os: [linux, mac] }"),
            Workflows.Sh("after", $"echo after >> {count}", ["test"])));
        var first = await Flowline("run", flow);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        File.Delete(count);

        var one = await Flowline("resume", first.RunId, "--from", "test-mac");
        Assert.True(one.ExitCode == 0, one.Stdout + one.Stderr);
        Assert.Equal(["mac", "after"], File.ReadAllLines(count));
        File.Delete(count);

        var all = await Flowline("resume", first.RunId, "--from", "test");
        Assert.True(all.ExitCode == 0, all.Stdout + all.Stderr);
        Assert.Equal(["after", "linux", "mac"], File.ReadAllLines(count).Order(StringComparer.Ordinal));
    }
}
