using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// The built CLI as a child process (issue #3), for what only a real process shows: SIGINT and SIGTERM cancel the
/// run cleanly (130/143, and SIGHUP 129, report written, status cancelled), a second Ctrl+C exits at once, a workflow timeout exits
/// 1, and in every case the step's process and its background grandchild are gone afterwards; stdout to a pipe is
/// plain lines.
/// </summary>
public sealed class RunChildProcessTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Leftovers _leftovers = new();

    /// <summary>A failed test must not leave sleeping processes behind either.</summary>
    public void Dispose()
    {
        _leftovers.Dispose();
        _dir.Dispose();
    }

    private int Pid(string name)
    {
        var pid = Processes.ReadPid(_dir.File(name));
        _leftovers.Add(pid);
        return pid;
    }

    /// <summary>
    /// A step that starts a background grandchild, writes both pids, signals readiness, then waits forever. With
    /// <paramref name="ignoreTerm"/> both ignore SIGTERM, so only SIGKILL ends them.
    /// </summary>
    private string Workflow(bool ignoreTerm = false)
    {
        var trap = ignoreTerm ? $"trap 'touch {_dir.File("term")}' TERM; " : "";
        var grandchild = ignoreTerm ? "(trap '' TERM; exec sleep 1000)" : "sleep 1000";
        var script = trap
            + $"{grandchild} & echo $! > {_dir.File("grandchild.pid")}; "
            + $"echo $$ > {_dir.File("child.pid")}; "
            + $"touch {_dir.File("ready")}; "
            + "while :; do sleep 1; done";
        return _dir.Write("wait.yaml", Workflows.Of(
            "Wait",
            "",
            Workflows.Sh("first", "true"),
            Workflows.Sh("waiting", script, ["first"]),
            Workflows.Sh("never", "true", ["waiting"])));
    }

    [Theory]
    [InlineData(Processes.SigInt, 130)]
    [InlineData(Processes.SigTerm, 143)]
    [InlineData(Processes.SigHup, 129)]
    public async Task A_signal_cancels_the_run_writes_the_report_and_leaves_no_process_behind(int signal, int exitCode)
    {
        var report = _dir.File("report.json");
        using var cli = FlowlineProcess.Start("run", Workflow(), "--report-json", report);
        await Processes.WaitForFileAsync(_dir.File("ready"), cli);
        var child = Pid("child.pid");
        var grandchild = Pid("grandchild.pid");
        Assert.True(Processes.IsAlive(child) && Processes.IsAlive(grandchild));

        cli.Signal(signal);
        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == exitCode, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        RunReportTests.AssertShape(json.RootElement, "cancelled", ["first", "waiting", "never"]);
        Assert.Equal("cancelled", json.RootElement.GetProperty("stepResults").GetProperty("waiting").GetProperty("status").GetString());
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"step process {child} survived");
        Assert.True(await Processes.WaitUntilGoneAsync(grandchild), $"background grandchild {grandchild} survived");
    }

    [Fact]
    public async Task A_second_ctrl_c_exits_at_once_and_still_kills_the_step_processes()
    {
        var report = _dir.File("report.json");
        using var cli = FlowlineProcess.Start("run", Workflow(ignoreTerm: true), "--report-json", report);
        await Processes.WaitForFileAsync(_dir.File("ready"), cli);
        var child = Pid("child.pid");
        var grandchild = Pid("grandchild.pid");

        // The first Ctrl+C starts the graceful stop: SIGTERM, which the step ignores (it only notes it).
        cli.Signal(Processes.SigInt);
        await Processes.WaitForFileAsync(_dir.File("term"), cli);
        Assert.True(Processes.IsAlive(child) && Processes.IsAlive(grandchild));

        cli.Signal(Processes.SigInt);
        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 130, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");

        // No report: the CLI did not wait for the graceful stop to end, which is what "at once" means here.
        Assert.False(File.Exists(report));
        Assert.Contains("Exiting at once", cli.Stderr, StringComparison.Ordinal);
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"step process {child} survived");
        Assert.True(await Processes.WaitUntilGoneAsync(grandchild), $"background grandchild {grandchild} survived");
    }

    [Fact]
    public async Task A_workflow_timeout_exits_1_reports_the_timeout_and_leaves_no_process_behind()
    {
        var report = _dir.File("report.json");
        using var cli = FlowlineProcess.Start("run", Workflow(), "--timeout", "2s", "--report-json", report);

        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 1, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        RunReportTests.AssertShape(json.RootElement, "failed", ["first", "waiting", "never"]);
        Assert.Contains("timed out", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("ready")), "the step never got going within the 2 s timeout");
        var child = Pid("child.pid");
        var grandchild = Pid("grandchild.pid");
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"step process {child} survived");
        Assert.True(await Processes.WaitUntilGoneAsync(grandchild), $"background grandchild {grandchild} survived");
    }

    [Fact]
    public async Task Output_to_a_pipe_is_plain_lines()
    {
        var file = _dir.Write("ok.yaml", Workflows.Of("Ok", "", Workflows.Sh("hello", "echo hi")));
        using var cli = FlowlineProcess.Start("run", file);

        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 0, cli.Stderr);
        Assert.Contains("▶ hello started\n  hello | hi\n✓ hello completed in ", cli.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", cli.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The command the README gives for a first run, from the repository root with a relative path. README.md is
    /// not on this branch's base yet, so the command is written here rather than read from it.
    /// </summary>
    [Fact]
    public async Task Run_examples_hello_from_the_repository_root_exits_0()
    {
        using var cli = FlowlineProcess.StartIn(RepoPaths.Root, "run", "examples/hello.yaml");

        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 0, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        Assert.Contains("Status: completed", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("Hello from Flowline", cli.Stdout, StringComparison.Ordinal);
    }
}
