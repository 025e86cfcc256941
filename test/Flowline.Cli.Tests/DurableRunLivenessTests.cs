using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// A killed runner on this machine (issue 18): its run reads as interrupted at once, not after the heartbeat
/// timeout — the readers here wait an hour for a heartbeat — and <c>flowline resume</c> will not start a step beside
/// one of the dead run's step processes that still runs, unless told to stop them with <c>--kill-orphans</c>.
/// </summary>
public sealed class DurableRunLivenessTests : IDisposable
{
    private static readonly Dictionary<string, string> PatientReaders = new(StringComparer.Ordinal) { ["FLOWLINE_HEARTBEAT_TIMEOUT"] = "1h" };

    private readonly TempDir _dir = new();
    private readonly Leftovers _leftovers = new();

    public void Dispose()
    {
        _leftovers.Dispose();
        _dir.Dispose();
    }

    private string Markers => _dir.File("markers");

    // held says it runs, then waits for the gate file; the test decides when it may finish.
    private string GatedWorkflow() => _dir.Write("gated.yaml", Workflows.Of(
        "gated",
        "",
        Workflows.Sh("first", $"echo first >> {Markers}"),
        Workflows.Sh(
            "held",
            $"echo held >> {Markers}; echo $$ > {_dir.File("held.pid")}; touch {_dir.File("ready")}; while [ ! -f {_dir.File("gate")} ]; do sleep 0.05; done",
            ["first"])));

    private FlowlineProcess Start(params string[] args) =>
        FlowlineProcess.StartWith(PatientReaders, _dir.Path, [.. args, "--state-dir", _dir.File("state")]);

    private async Task<(int Exit, string Stdout, string Stderr)> RunToEndAsync(params string[] args)
    {
        using var cli = Start(args);
        var exit = await cli.WaitForExitAsync();
        return (exit, cli.Stdout, cli.Stderr);
    }

    // The pids a message names: "(pid 12, 13)".
    private static int[] NamedPids(string stderr, string lineStart)
    {
        var line = stderr.Split('\n').First(l => l.StartsWith(lineStart, StringComparison.Ordinal));
        var list = line[(line.IndexOf("(pid ", StringComparison.Ordinal) + 5)..line.IndexOf(')', StringComparison.Ordinal)];
        return [.. list.Split(", ").Select(int.Parse)];
    }

    private static string RunId(string stderr) =>
        stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];

    /// <summary>Starts the gated workflow, SIGKILLs the runner while held runs, and returns the run id and held's pid.</summary>
    private async Task<(string Id, int Held)> KillRunnerWhileHeldRunsAsync()
    {
        using var cli = Start("run", GatedWorkflow());
        await Processes.WaitForFileAsync(_dir.File("ready"), cli);
        var held = Processes.ReadPid(_dir.File("held.pid"));
        _leftovers.Add(held);
        for (var i = 0; i < 300 && !cli.Stderr.Contains("run ", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100); // the line was written before the first step; only the pipe may lag
        }

        var id = RunId(cli.Stderr);
        cli.Signal(Processes.SigKill);
        await cli.WaitForExitAsync();
        return (id, held);
    }

    [Fact]
    public async Task A_run_whose_runner_was_killed_reads_as_interrupted_at_once()
    {
        var (id, _) = await KillRunnerWhileHeldRunsAsync();

        var (exit, stdout, stderr) = await RunToEndAsync("runs", "--json", "--limit", "0");

        Assert.True(exit == 0, stderr);
        var run = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal("interrupted", run.GetProperty("status").GetString());
        var (_, listed, _) = await RunToEndAsync("runs", "--status", "interrupted");
        Assert.Contains(id, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_refuses_while_a_step_process_of_the_dead_run_still_runs_and_names_it()
    {
        var (id, held) = await KillRunnerWhileHeldRunsAsync();

        var (exit, _, stderr) = await RunToEndAsync("resume", id, "--force");

        Assert.Equal(2, exit);
        Assert.Contains(held, NamedPids(stderr, $"error: run {id} left processes of its steps running"));
        Assert.Contains("--kill-orphans", stderr, StringComparison.Ordinal);
        Assert.True(Processes.IsAlive(held));
        Assert.Equal(["first", "held"], File.ReadAllLines(Markers));
    }

    [Fact]
    public async Task Resume_with_kill_orphans_stops_the_dead_run_s_step_processes_and_then_resumes()
    {
        var (id, held) = await KillRunnerWhileHeldRunsAsync();
        File.Delete(_dir.File("ready"));

        using var resume = Start("resume", id, "--kill-orphans");
        await Processes.WaitForFileAsync(_dir.File("ready"), resume);

        // The resumed held is running now; the old one was stopped before it started.
        Assert.False(Processes.IsAlive(held));
        File.WriteAllText(_dir.File("gate"), "");
        var exit = await resume.WaitForExitAsync();
        Assert.True(exit == 0, $"resume exit {exit}\n{resume.Stdout}\n{resume.Stderr}");
        Assert.Contains(held, NamedPids(resume.Stderr, $"warning: stopping the processes run {id} left running"));
        Assert.Equal(["first", "held", "held"], File.ReadAllLines(Markers));
    }
}
