using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// Runs that die (issue #6 "Done when"): <c>flowline run</c> as a child process killed with SIGKILL or stopped
/// with Ctrl+C mid-run, then <c>flowline resume</c>; and two runs recording into one project at once. What ran is
/// read from marker files the steps write, never from the engine's own record.
/// </summary>
public sealed class DurableRunProcessTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Leftovers _leftovers = new();

    public void Dispose()
    {
        _leftovers.Dispose();
        _dir.Dispose();
    }

    private string StateDir => _dir.File("state");

    private string Markers => _dir.File("markers");

    /// <summary>
    /// first → held → last. Each step appends its id to the marker file; <c>held</c> then says it is running and
    /// waits for the gate file, so the test decides when it may finish.
    /// </summary>
    private string GatedWorkflow() => _dir.Write("gated.yaml", Workflows.Of(
        "gated",
        "",
        Workflows.Sh("first", $"echo first >> {Markers}"),
        Workflows.Sh(
            "held",
            $"echo held >> {Markers}; echo $$ > {_dir.File("held.pid")}; touch {_dir.File("ready")}; while [ ! -f {_dir.File("gate")} ]; do sleep 0.05; done",
            ["first"]),
        Workflows.Sh("last", $"echo last >> {Markers}", ["held"])));

    private FlowlineProcess Start(params string[] args) =>
        FlowlineProcess.StartWith(FlowlineProcess.ShortHeartbeat, _dir.Path, [.. args, "--state-dir", StateDir]);

    private async Task<(int Exit, string Stdout, string Stderr)> RunToEndAsync(params string[] args)
    {
        using var cli = Start(args);
        var exit = await cli.WaitForExitAsync();
        return (exit, cli.Stdout, cli.Stderr);
    }

    private async Task<JsonElement> RecordedRunAsync(string id)
    {
        var (exit, stdout, stderr) = await RunToEndAsync("runs", "--json", "--limit", "0");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).Clone();
    }

    /// <summary>Polls until the run shows <paramref name="status"/>: a heartbeat has to be missed first (bounded at 30 s).</summary>
    private async Task<JsonElement> WaitForStatusAsync(string id, string status)
    {
        var run = await RecordedRunAsync(id);
        for (var i = 0; i < 60 && run.GetProperty("status").GetString() != status; i++)
        {
            await Task.Delay(500);
            run = await RecordedRunAsync(id);
        }

        return run;
    }

    private static string RunId(string stderr) =>
        stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];

    private async Task<string> StartAndWaitUntilHeldAsync(FlowlineProcess cli)
    {
        await Processes.WaitForFileAsync(_dir.File("ready"), cli);
        _leftovers.Add(Processes.ReadPid(_dir.File("held.pid")));

        // The line was written before the first step started, but the pipe reader may not have delivered it yet.
        for (var i = 0; i < 300 && !cli.Stderr.Contains("run ", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        return RunId(cli.Stderr);
    }

    private async Task ResumeCompletesAsync(string id)
    {
        File.WriteAllText(_dir.File("gate"), "");
        var (exit, stdout, stderr) = await RunToEndAsync("resume", id);
        Assert.True(exit == 0, $"resume exit {exit}\n{stdout}\n{stderr}");

        var resumedId = RunId(stderr);
        var resumed = await RecordedRunAsync(resumedId);
        Assert.Equal("completed", resumed.GetProperty("status").GetString());
        Assert.Equal(id, resumed.GetProperty("resumedFrom").GetString());

        // first completed before the runner died: it ran exactly once. held was running, so it ran again
        // (at-least-once, docs/state.md); last never started before, so it ran once, in the resumed run.
        Assert.Equal(["first", "held", "held", "last"], File.ReadAllLines(Markers));
    }

    [Fact]
    public async Task A_run_killed_mid_run_shows_as_interrupted_and_resume_runs_each_completed_step_exactly_once()
    {
        string id;
        using (var cli = Start("run", GatedWorkflow()))
        {
            id = await StartAndWaitUntilHeldAsync(cli);
            cli.Signal(Processes.SigKill);
            await cli.WaitForExitAsync();
        }

        // The step's process group outlives a SIGKILLed runner: end it, as a reboot would.
        Processes.KillLeftovers(_leftovers.First);
        var interrupted = await WaitForStatusAsync(id, "interrupted");

        Assert.Equal("interrupted", interrupted.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, interrupted.GetProperty("finishedAt").ValueKind);
        await ResumeCompletesAsync(id);
    }

    [Fact]
    public async Task A_run_stopped_with_ctrl_c_is_recorded_as_cancelled_and_resume_completes_it()
    {
        string id;
        int exit;
        using (var cli = Start("run", GatedWorkflow()))
        {
            id = await StartAndWaitUntilHeldAsync(cli);
            cli.Signal(Processes.SigInt);
            exit = await cli.WaitForExitAsync();
        }

        Assert.Equal(130, exit);
        Assert.Equal("cancelled", (await RecordedRunAsync(id)).GetProperty("status").GetString());
        await ResumeCompletesAsync(id);
    }

    [Fact]
    public async Task Two_runs_at_the_same_time_in_the_same_project_both_record_every_step()
    {
        var file = _dir.Write("many.yaml", Workflows.Of(
            "many",
            "",
            [.. Enumerable.Range(0, 12).Select(i => Workflows.Sh($"s{i}", "true", i == 0 ? null : [$"s{i - 1}"]))]));

        using var one = Start("run", file);
        using var two = Start("run", file);
        var exits = new[] { await one.WaitForExitAsync(), await two.WaitForExitAsync() };

        Assert.True(exits.All(e => e == 0), $"{one.Stderr}\n{two.Stderr}");
        foreach (var id in new[] { RunId(one.Stderr), RunId(two.Stderr) })
        {
            Assert.Equal("completed", (await RecordedRunAsync(id)).GetProperty("status").GetString());
            var (exit, stdout, _) = await RunToEndAsync("show", id, "--json");
            Assert.Equal(0, exit);
            var steps = JsonDocument.Parse(stdout).RootElement.GetProperty("stepResults");
            Assert.All(steps.EnumerateObject(), step => Assert.Equal("completed", step.Value.GetProperty("status").GetString()));
            Assert.Equal(12, steps.EnumerateObject().Count());
        }
    }
}
