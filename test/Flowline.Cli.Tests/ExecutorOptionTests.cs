using Flowline.Cli.Rendering;
using Flowline.Testing;

namespace Flowline.Cli.Tests;

/// <summary>
/// Issue 12 on the command line: <c>--executor</c> on run, validate, graph and resume, <c>--detach</c>, the recorded
/// executor of a resumed run, and the graph's backend marker.
/// </summary>
public sealed class ExecutorOptionTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Markers => _dir.File("markers");

    public void Dispose() => _dir.Dispose();

    /// <summary>Every script step on Slurm by the file; step b fails until the flag file exists.</summary>
    private string OnSlurm() => _dir.Write("cluster.yaml", Workflows.Of(
        "cluster",
        "executor: slurm",
        Workflows.Sh("a", $"echo a >> {Markers}", extra: "slurm: { cpusPerTask: 2 }"),
        Workflows.Sh("b", $"test -f {_dir.File("flag")} || exit 1; echo b >> {Markers}", ["a"])));

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", _dir.File("state")]);

    [Theory]
    [InlineData("run")]
    [InlineData("validate")]
    [InlineData("graph")]
    public async Task An_executor_outside_the_choices_is_a_usage_error_that_lists_them(string command)
    {
        var run = await CliRunner.RunAsync(command, OnSlurm(), "--executor", "slrum");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("slrum", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'local'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'slurm'", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Markers));
    }

    [Fact]
    public async Task Run_with_executor_local_runs_a_slurm_workflow_on_this_machine_and_says_the_slurm_block_is_unused()
    {
        File.WriteAllText(_dir.File("flag"), "");

        var run = await CliRunner.RunAsync("run", OnSlurm(), "--executor", "local", "--no-state");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["a", "b"], File.ReadAllLines(Markers));
        Assert.Contains("warning FL1120", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("the run's executor is 'local'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_with_executor_checks_the_plan_the_run_would_run()
    {
        var run = await CliRunner.RunAsync("validate", OnSlurm(), "--executor", "local");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("valid — 'cluster' 1.0.0, 2 steps, 1 warning", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("cluster.yaml:11:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("the run's executor is 'local'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_help_describes_executor_and_detach()
    {
        var run = await CliRunner.RunAsync("run", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--executor <local|slurm>", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--detach", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("leave the run's Slurm jobs running", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("flowline resume", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_runs_on_the_executor_the_run_was_started_with()
    {
        var first = await Flowline("run", OnSlurm(), "--executor", "local");
        Assert.True(first.ExitCode == 1, first.Stdout + first.Stderr);
        var id = first.Stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];
        File.WriteAllText(_dir.File("flag"), "");

        // Without the recorded --executor local the file's executor: slurm would apply.
        var resume = await Flowline("resume", id);

        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Equal(["a", "b"], File.ReadAllLines(Markers));
    }

    [Fact]
    public async Task Resume_takes_executor_to_override_the_recorded_one()
    {
        var file = _dir.Write("plain.yaml", Workflows.Of(
            "plain",
            "",
            Workflows.Sh("a", $"echo a >> {Markers}"),
            Workflows.Sh("b", $"test -f {_dir.File("flag")} || exit 1; echo b >> {Markers}", ["a"])));
        var first = await Flowline("run", file);
        var id = first.Stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];
        File.WriteAllText(_dir.File("flag"), "");

        var refused = await Flowline("resume", id, "--executor", "slrum");
        var resume = await Flowline("resume", id, "--executor", "local");

        Assert.Equal(2, refused.ExitCode);
        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Equal(["a", "b"], File.ReadAllLines(Markers));
    }

    [Theory]
    [InlineData("text", "  train [slurm] <- prepare\n")]
    [InlineData("mermaid", "<small>train [slurm]</small>")]
    [InlineData("dot", "[label=\"Train [slurm]\"]")]
    public void The_graph_marks_a_step_that_does_not_run_locally(string format, string expected)
    {
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new FakeStepExecutor("script", backend: "slurm"));
        var validation = runner.ValidateFile(_dir.Write("graph.yaml", """
            name: Graph
            version: 1.0.0
            steps:
              - id: prepare
                name: Prepare
                type: script
                config: { command: "true" }
              - id: train
                name: Train
                type: script
                executor: slurm
                config: { command: "true" }
                dependsOn: [prepare]
            """));

        var text = GraphRenderer.Render(validation.Plan!, format);

        Assert.Empty(validation.Diagnostics);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("prepare [", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_with_executor_local_draws_no_marker()
    {
        var run = await CliRunner.RunAsync("graph", OnSlurm(), "--executor", "local", "--format", "text");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("level 0\n  a\nlevel 1\n  b <- a\n", run.Stdout);
    }
}
