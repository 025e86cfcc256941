using System.Text.Json;
using Flowline.Cli.Tests.Dashboard;
using Flowline.State;

namespace Flowline.Cli.Tests;

/// <summary>
/// <c>flowline cancel</c> (issue 17) against a real <c>flowline run</c> in another process sharing the state folder,
/// and what the history commands say about who started each run.
/// </summary>
public sealed class CancelCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string StateDir => _dir.File("state");

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    [Fact]
    public async Task Cancel_stops_a_run_of_another_terminal_its_process_tree_included_and_records_it_cancelled()
    {
        var pids = _dir.File("pids");
        var file = _dir.Write("long.yaml", DashboardWorkflows.Long(pids));
        using var terminal = FlowlineProcess.StartIn(_dir.Path, "run", file, "--state-dir", StateDir);
        await Processes.WaitForFileAsync(pids, terminal);
        var shell = Processes.ReadPid(pids);
        var child = Processes.ReadPid(pids + ".child");
        var runId = terminal.Stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1].Trim();

        var cancel = await Flowline("cancel", runId[..20]);

        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Equal($"run {runId} cancelled\n", cancel.Stdout);
        Assert.True(await Processes.WaitUntilGoneAsync(shell), $"the step's shell {shell} outlived the cancel");
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"the step's child {child} outlived the cancel");
        Assert.Equal(1, await terminal.WaitForExitAsync());
        using var runs = JsonDocument.Parse((await Flowline("runs", "--json")).Stdout);
        var run = Assert.Single(runs.RootElement.EnumerateArray());
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal("cli run", run.GetProperty("origin").GetString());

        var again = await Flowline("cancel", runId);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"run {runId} is not running (it is cancelled)", again.Stderr, StringComparison.Ordinal);
        Assert.Contains($"flowline resume {runId}", again.Stderr, StringComparison.Ordinal);
        var unknown = await Flowline("cancel", "NOSUCHRUN");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no recorded run has an id starting with 'NOSUCHRUN'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_and_show_say_what_started_each_run_and_who()
    {
        var file = _dir.Write("fails.yaml", Workflows.Of("fails", "", Workflows.Sh("x", "test -e " + _dir.File("ok"))));
        var first = await Flowline("run", file);
        var firstId = first.Stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1].Trim();
        File.WriteAllText(_dir.File("ok"), "");
        Assert.Equal(0, (await Flowline("resume", firstId)).ExitCode);

        var table = await Flowline("runs");
        var json = await Flowline("runs", "--json");
        var show = await Flowline("show", firstId);

        var lines = table.Stdout.Trim().Split('\n');
        Assert.EndsWith("STARTED BY", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"cli resume ({Environment.UserName})", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"cli run ({Environment.UserName})", lines[2], StringComparison.Ordinal);
        using var runs = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["cli resume", "cli run"], runs.RootElement.EnumerateArray().Select(r => r.GetProperty("origin").GetString()));
        Assert.All(runs.RootElement.EnumerateArray(), r => Assert.Equal(Environment.UserName, r.GetProperty("startedBy").GetString()));
        Assert.Contains($"Run: {firstId} (failed), started ", show.Stdout, StringComparison.Ordinal);
        Assert.Contains($" by cli run ({Environment.UserName})", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_recorded_before_flowline_kept_its_origin_shows_a_dash()
    {
        await using (var store = await SqliteRunStore.OpenAsync(new StateDirectory(StateDir)))
        {
            await store.RunStartedAsync(new RunRecord { Id = "01OLDRUN", WorkflowName = "old", WorkflowVersion = "1", StartedAt = DateTimeOffset.UnixEpoch }, default);
            await store.RunFinishedAsync("01OLDRUN", RunStatus.Completed, null, default);
        }

        var table = await Flowline("runs");
        using var json = JsonDocument.Parse((await Flowline("runs", "--json")).Stdout);

        Assert.EndsWith("—", table.Stdout.Trim().Split('\n')[1], StringComparison.Ordinal);
        var run = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("origin").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("startedBy").ValueKind);
        Assert.Contains("by —", (await Flowline("show", "01OLDRUN")).Stdout, StringComparison.Ordinal);
    }
}
