using Flowline.State;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

/// <summary>The rules every <see cref="IRunStore"/> follows; run against the SQLite and the in-memory store.</summary>
public abstract class RunStoreContract : IDisposable
{
    private protected RunStoreContract()
    {
        Folder = new TempFolder();
    }

    internal TempFolder Folder { get; }

    protected FakeTimeProvider Time { get; } = Clock();

    private protected abstract Task<IRunStore> CreateStoreAsync(RunStoreOptions? options = null);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => Folder.Dispose();

    [Fact]
    public async Task A_run_keeps_its_origin_and_a_cancel_request_is_recorded_only_for_a_running_run_the_first_one_kept()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("01LIVE", Start) with { Origin = "dashboard", StartedBy = "alice" }, default);
        await store.RunStartedAsync(Run("01DONE", Start), default);
        await store.RunFinishedAsync("01DONE", RunStatus.Completed, null, default);

        Assert.Null(await store.GetCancelRequestAsync("01LIVE", default));
        Assert.True(await store.RequestCancelAsync("01LIVE", "cli cancel (bob)", default));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await store.RequestCancelAsync("01LIVE", "dashboard (carol)", default));
        Assert.False(await store.RequestCancelAsync("01DONE", "cli cancel (bob)", default));
        Assert.False(await store.RequestCancelAsync("01NONE", "cli cancel (bob)", default));

        Assert.Equal(new RunCancelRequest(Start, "cli cancel (bob)"), await store.GetCancelRequestAsync("01LIVE", default));
        Assert.Null(await store.GetCancelRequestAsync("01DONE", default));
        var live = (await store.GetRunAsync("01LIVE", default))!;
        Assert.Equal(("dashboard", "alice", RunStatus.Running), (live.Origin, live.StartedBy, live.Status));
        Assert.Null((await store.GetRunAsync("01DONE", default))!.Origin);
    }

    [Fact]
    public async Task A_run_and_its_steps_round_trip()
    {
        var store = await CreateStoreAsync();
        var run = Run("01RUN", Start);
        await store.RunStartedAsync(run, default);
        await store.StepChangedAsync(Step("01RUN", "compile", StepStatus.Running), default);
        await store.StepChangedAsync(Step("01RUN", "test", StepStatus.Failed), default);
        await store.StepChangedAsync(Step("01RUN", "compile"), default);
        Time.Advance(TimeSpan.FromSeconds(3));
        await store.RunFinishedAsync("01RUN", RunStatus.Failed, "step test failed", default);

        var read = await store.GetRunAsync("01RUN", default);
        Assert.NotNull(read);
        Assert.Equal(RunStatus.Failed, read.Status);
        Assert.Equal("step test failed", read.Error);
        Assert.Equal(Start.AddSeconds(3), read.FinishedAt);
        Assert.Equal(Start, read.StartedAt);
        Assert.Equal(("build", "1.2.0", "/repo/flows/build.yaml", "ab12"), (read.WorkflowName, read.WorkflowVersion, read.WorkflowPath, read.ContentHash));
        Assert.Equal(JsonText(run.Variables), JsonText(read.Variables));
        Assert.Equal(JsonText(run.Options), JsonText(read.Options));

        var steps = await store.GetStepsAsync("01RUN", default);
        Assert.Equal(["compile", "test"], steps.Select(step => step.StepId));
        var expected = Step("01RUN", "compile");
        Assert.Equal(expected with { Output = null }, steps[0] with { Output = null });
        Assert.Equal(JsonText(expected.Output), JsonText(steps[0].Output));
        Assert.Equal(StepStatus.Failed, steps[1].Status);
        Assert.Equal(2, steps[1].ExitCode);
        Assert.Equal("exit code 2", steps[1].Error);
    }

    [Fact]
    public async Task A_step_handle_is_replaced_by_the_next_and_read_back_by_step()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("01RUN", Start), default);
        await store.StepHandleAsync("01RUN", "compile", "{\"state\":\"submitting\"}", default);
        await store.StepHandleAsync("01RUN", "compile", "{\"state\":\"submitted\",\"jobId\":\"7\"}", default);
        await store.StepHandleAsync("01RUN", "test", "other", default);

        var handles = await store.GetStepHandlesAsync("01RUN", default);

        Assert.Equal("{\"state\":\"submitted\",\"jobId\":\"7\"}", handles["compile"]);
        Assert.Equal("other", handles["test"]);
        Assert.Empty(await store.GetStepHandlesAsync("nope", default));
    }

    [Fact]
    public async Task A_handle_for_an_unknown_run_is_a_clear_error_and_pruning_a_run_drops_its_handles()
    {
        var store = await CreateStoreAsync();
        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.StepHandleAsync("nope", "compile", "h", default));
        Assert.Contains("nope", error.Message);

        await store.RunStartedAsync(Run("A", Start), default);
        await store.StepHandleAsync("A", "compile", "h", default);
        await store.RunFinishedAsync("A", RunStatus.Completed, null, default);
        await store.RunStartedAsync(Run("B", Start.AddMinutes(1)), default);
        await store.RunFinishedAsync("B", RunStatus.Completed, null, default);
        await store.PruneAsync(new RunPruneOptions { Keep = 1 }, default);

        Assert.Empty(await store.GetStepHandlesAsync("A", default));
    }

    [Fact]
    public async Task Unknown_runs_read_as_null_or_empty()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetRunAsync("nope", default));
        Assert.Empty(await store.GetStepsAsync("nope", default));
        Assert.Null(await store.LoadSnapshotAsync("nope", default));
    }

    [Fact]
    public async Task Recording_a_step_of_an_unknown_run_is_a_clear_error()
    {
        var store = await CreateStoreAsync();

        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.StepChangedAsync(Step("ghost", "a"), default));

        Assert.Contains("ghost", error.Message, StringComparison.Ordinal);
        Assert.Contains("RunStartedAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_and_filtered_by_workflow_status_and_limit()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("A", Start, "build"), default);
        await store.RunStartedAsync(Run("B", Start.AddMinutes(1), "deploy"), default);
        await store.RunStartedAsync(Run("C", Start.AddMinutes(2), "build"), default);
        await store.RunStartedAsync(Run("D", Start.AddMinutes(3), "build"), default);
        await store.RunFinishedAsync("A", RunStatus.Completed, null, default);
        await store.RunFinishedAsync("C", RunStatus.Failed, "boom", default);
        await store.RunFinishedAsync("B", RunStatus.Completed, null, default);

        Assert.Equal(["D", "C", "B", "A"], (await store.ListRunsAsync(new RunQuery(), default)).Select(run => run.Id));
        Assert.Equal(["D", "C", "A"], (await store.ListRunsAsync(new RunQuery { Workflow = "build" }, default)).Select(run => run.Id));
        Assert.Equal(["B", "A"], (await store.ListRunsAsync(new RunQuery { Status = RunStatus.Completed }, default)).Select(run => run.Id));
        Assert.Equal(["A"], (await store.ListRunsAsync(new RunQuery { Workflow = "build", Status = RunStatus.Completed }, default)).Select(run => run.Id));
        Assert.Equal(["D"], (await store.ListRunsAsync(new RunQuery { Status = RunStatus.Running }, default)).Select(run => run.Id));
        Assert.Equal(["D", "C"], (await store.ListRunsAsync(new RunQuery { Limit = 2 }, default)).Select(run => run.Id));
    }

    [Fact]
    public async Task A_running_run_whose_heartbeat_stopped_is_reported_as_interrupted()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("alive", Start), default);
        await store.RunStartedAsync(Run("dead", Start), default);

        Time.Advance(TimeSpan.FromSeconds(4));
        await store.HeartbeatAsync("alive", default);
        Time.Advance(TimeSpan.FromSeconds(4));
        await store.HeartbeatAsync("alive", default);

        Assert.Equal(RunStatus.Running, (await store.GetRunAsync("alive", default))!.Status);
        Assert.Equal(RunStatus.Interrupted, (await store.GetRunAsync("dead", default))!.Status);
        Assert.Equal(["dead"], (await store.ListRunsAsync(new RunQuery { Status = RunStatus.Interrupted }, default)).Select(run => run.Id));
        Assert.Equal(["alive"], (await store.ListRunsAsync(new RunQuery { Status = RunStatus.Running }, default)).Select(run => run.Id));
        Assert.Equal(RunStatus.Interrupted, (await store.LoadSnapshotAsync("dead", default))!.Status);
    }

    [Fact]
    public async Task A_heartbeat_exactly_at_the_timeout_still_counts_as_running()
    {
        var store = await CreateStoreAsync(new RunStoreOptions { HeartbeatTimeout = TimeSpan.FromSeconds(6) });
        await store.RunStartedAsync(Run("edge", Start), default);

        Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(RunStatus.Running, (await store.GetRunAsync("edge", default))!.Status);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RunStatus.Interrupted, (await store.GetRunAsync("edge", default))!.Status);
    }

    [Fact]
    public async Task A_finished_run_is_never_reported_as_interrupted_and_ignores_late_heartbeats()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("done", Start), default);
        await store.RunFinishedAsync("done", RunStatus.Completed, null, default);
        Time.Advance(TimeSpan.FromHours(1));
        await store.HeartbeatAsync("done", default);
        await store.HeartbeatAsync("unknown", default);

        var run = await store.GetRunAsync("done", default);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal(Start, run.HeartbeatAt);
    }

    [Fact]
    public async Task Prune_keeps_the_newest_runs()
    {
        var store = await CreateStoreAsync();
        foreach (var (id, minute) in new[] { ("A", 0), ("B", 1), ("C", 2), ("D", 3) })
        {
            await store.RunStartedAsync(Run(id, Start.AddMinutes(minute)), default);
            await store.StepChangedAsync(Step(id, "only"), default);
            await store.RunFinishedAsync(id, RunStatus.Completed, null, default);
        }

        var deleted = await store.PruneAsync(new RunPruneOptions { Keep = 2 }, default);

        Assert.Equal(["B", "A"], deleted);
        Assert.Equal(["D", "C"], (await store.ListRunsAsync(new RunQuery(), default)).Select(run => run.Id));
        Assert.Empty(await store.GetStepsAsync("A", default));
    }

    [Fact]
    public async Task Prune_deletes_runs_older_than_the_age_but_never_a_live_run()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("old-finished", Start), default);
        await store.RunFinishedAsync("old-finished", RunStatus.Completed, null, default);
        await store.RunStartedAsync(Run("old-interrupted", Start), default);
        await store.RunStartedAsync(Run("old-live", Start), default);
        Time.Advance(TimeSpan.FromDays(10));
        await store.HeartbeatAsync("old-live", default);
        await store.RunStartedAsync(Run("recent", Time.GetUtcNow().AddDays(-1)), default);
        await store.RunFinishedAsync("recent", RunStatus.Completed, null, default);

        var deleted = await store.PruneAsync(new RunPruneOptions { OlderThan = TimeSpan.FromDays(7) }, default);

        Assert.Equal(["old-finished", "old-interrupted"], deleted.Order(StringComparer.Ordinal));
        Assert.Equal(["recent", "old-live"], (await store.ListRunsAsync(new RunQuery(), default)).Select(run => run.Id));
    }

    [Fact]
    public async Task A_snapshot_is_built_from_the_run_and_its_steps()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("snap", Start), default);
        await store.StepChangedAsync(Step("snap", "compile"), default);
        await store.StepChangedAsync(Step("snap", "test", StepStatus.Running), default);

        var snapshot = await store.LoadSnapshotAsync("snap", default);

        Assert.NotNull(snapshot);
        Assert.Equal(WorkflowSnapshot.CurrentFormatVersion, snapshot.FormatVersion);
        Assert.Equal(("snap", "build", "1.2.0", "ab12", RunStatus.Running), (snapshot.RunId, snapshot.WorkflowName, snapshot.WorkflowVersion, snapshot.ContentHash, snapshot.Status));
        Assert.Equal(["compile", "test"], snapshot.Steps.Select(step => step.StepId));
        Assert.Equal([StepStatus.Completed, StepStatus.Running], snapshot.Steps.Select(step => step.Status));
        Assert.Equal(JsonText(Step("snap", "compile").Output), JsonText(snapshot.Steps[0].Output));
        Assert.Equal("branch=\"main\",retries=3,targets=[\"linux\",\"mac\"]", JsonText(snapshot.Variables));
        Assert.Equal(Start, snapshot.TakenAt);
    }

    [Fact]
    public async Task Starting_a_run_twice_with_the_same_id_is_a_clear_error()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("same", Start), default);

        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.RunStartedAsync(Run("same", Start), default));

        Assert.Contains("'same'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_durations_are_the_median_of_the_completions_in_the_workflows_latest_runs()
    {
        var store = await CreateStoreAsync();
        var compile = new[] { 10, 2, 4, 3 };
        for (var i = 0; i < compile.Length; i++)
        {
            var runId = $"01RUN{i}";
            await store.RunStartedAsync(Run(runId, Start.AddMinutes(i)), default);
            await store.StepChangedAsync(Timed(runId, "compile", compile[i]), default);
            await store.StepChangedAsync(Timed(runId, "test", 50, i == 3 ? StepStatus.Completed : StepStatus.Failed), default);
            await store.StepChangedAsync(Step(runId, "deploy", StepStatus.Running), default);
        }

        // Newer runs of another workflow, or of the same name from another file, count for nothing.
        await store.RunStartedAsync(Run("01OTHER", Start.AddMinutes(9), workflow: "deploy"), default);
        await store.StepChangedAsync(Timed("01OTHER", "compile", 100), default);
        await store.RunStartedAsync(Run("01MOVED", Start.AddMinutes(9)) with { WorkflowPath = "/elsewhere/build.yaml" }, default);
        await store.StepChangedAsync(Timed("01MOVED", "compile", 100), default);

        var durations = await store.GetStepDurationsAsync("build", "/repo/flows/build.yaml", runs: 3, default);

        Assert.Equal(TimeSpan.FromSeconds(3), durations["compile"]);
        Assert.Equal(TimeSpan.FromSeconds(50), durations["test"]);
        Assert.False(durations.ContainsKey("deploy"));
        Assert.Equal(2, durations.Count);
    }

    [Fact]
    public async Task Step_durations_of_an_even_number_of_runs_are_the_mean_of_the_middle_two_and_none_for_an_unknown_workflow()
    {
        var store = await CreateStoreAsync();
        await store.RunStartedAsync(Run("01A", Start) with { WorkflowPath = null }, default);
        await store.StepChangedAsync(Timed("01A", "compile", 2), default);
        await store.RunStartedAsync(Run("01B", Start.AddMinutes(1)) with { WorkflowPath = null }, default);
        await store.StepChangedAsync(Timed("01B", "compile", 5), default);

        Assert.Equal(TimeSpan.FromSeconds(3.5), (await store.GetStepDurationsAsync("build", null, runs: 3, default))["compile"]);
        Assert.Empty(await store.GetStepDurationsAsync("build", "/repo/flows/build.yaml", runs: 3, default));
        Assert.Empty(await store.GetStepDurationsAsync("nightly", null, runs: 3, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetStepDurationsAsync("build", null, runs: 0, default));
    }

    /// <summary>The cache entry of a step that ran: key k1, one input and one file.</summary>
    private static StepCacheInfo RanEntry => new()
    {
        Key = "k1",
        Reason = "ran: no earlier run",
        Inputs = new Dictionary<string, string> { ["args"] = "a1" },
        Files = new Dictionary<string, string> { ["src/app.cs"] = "f1" },
    };

    [Fact]
    public async Task The_latest_cached_row_of_each_step_is_read_back_with_its_cache_entry()
    {
        var store = await CreateStoreAsync();
        var cache = RanEntry;
        await store.RunStartedAsync(Run("01A", Start), default);
        await store.StepChangedAsync(Step("01A", "compile") with { Cache = cache }, default);
        await store.StepChangedAsync(Step("01A", "plain"), default);
        Time.Advance(TimeSpan.FromMinutes(1));
        await store.RunStartedAsync(Run("01B", Start.AddMinutes(1)), default);
        await store.StepChangedAsync(Step("01B", "compile", StepStatus.Failed) with { Cache = cache with { Key = "k2" } }, default);
        await store.RunStartedAsync(Run("01C", Start.AddMinutes(2), workflow: "other"), default);
        await store.StepChangedAsync(Step("01C", "compile") with { Cache = cache with { Key = "k3" } }, default);

        var cached = await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default);

        var compile = Assert.Single(cached).Value;
        Assert.Equal(("01B", StepStatus.Failed, "k2"), (compile.RunId, compile.Status, compile.Cache!.Key));
        Assert.Equal("f1", compile.Cache.Files["src/app.cs"]);
        Assert.Equal("a1", compile.Cache.Inputs["args"]);
        Assert.Equal("ran: no earlier run", compile.Cache.Reason);
        Assert.Equal("k1", (await store.GetStepsAsync("01A", default)).Single(s => s.StepId == "compile").Cache!.Key);
        Assert.Empty(await store.GetCachedStepsAsync("build", "/elsewhere.yaml", default));
    }

    [Fact]
    public async Task An_up_to_date_copy_leaves_the_place_to_the_row_it_was_restored_from_until_a_step_runs_again()
    {
        var store = await CreateStoreAsync();
        var ran = RanEntry;
        await store.RunStartedAsync(Run("01A", Start), default);
        await store.StepChangedAsync(Step("01A", "compile") with { Cache = ran }, default);
        Time.Advance(TimeSpan.FromMinutes(1));
        await store.RunStartedAsync(Run("01B", Start.AddMinutes(1)), default);
        await store.StepChangedAsync(Step("01B", "compile") with { Cache = ran with { UpToDate = true, FromRun = "01A", Reason = "up to date (run 01A)" } }, default);

        var afterCopy = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];

        Time.Advance(TimeSpan.FromMinutes(1));
        await store.RunStartedAsync(Run("01C", Start.AddMinutes(2)), default);
        await store.StepChangedAsync(Step("01C", "compile") with { Cache = ran with { Key = "k2", Reason = "ran: src/app.cs changed" } }, default);
        var afterRun = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];

        Assert.Equal(("01A", "k1", false), (afterCopy.RunId, afterCopy.Cache!.Key, afterCopy.Cache.UpToDate));
        Assert.Equal("f1", afterCopy.Cache.Files["src/app.cs"]);
        Assert.Equal(("01C", "k2"), (afterRun.RunId, afterRun.Cache!.Key));
    }

    [Fact]
    public async Task The_latest_cached_row_follows_start_times_not_write_order_and_falls_back_when_it_loses_its_entry()
    {
        var store = await CreateStoreAsync();
        var cache = new StepCacheInfo { Key = "k1", Reason = "ran: no earlier run" };
        await store.RunStartedAsync(Run("01A", Start), default);
        await store.RunStartedAsync(Run("01B", Start.AddMinutes(1)), default);
        await store.StepChangedAsync(Step("01B", "compile") with { Cache = cache with { Key = "k2" } }, default);
        await store.StepChangedAsync(Step("01A", "compile") with { Cache = cache }, default);

        var newest = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];
        await store.StepChangedAsync(Step("01B", "compile", StepStatus.Running), default);
        var fallback = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];
        await store.StepChangedAsync(Step("01B", "compile") with { Cache = cache with { Key = "k3" } }, default);
        var back = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];

        // One batch that gives a step of a new workflow a cache entry and takes it away again leaves it none.
        await store.RunStartedAsync(Run("01C", Start.AddMinutes(2), workflow: "other"), default);
        await store.StepsChangedAsync([Step("01C", "lint") with { Cache = cache }, Step("01C", "lint", StepStatus.Running)], default);

        Assert.Equal(("01B", "k2"), (newest.RunId, newest.Cache!.Key));
        Assert.Equal(("01A", "k1"), (fallback.RunId, fallback.Cache!.Key));
        Assert.Equal(("01B", "k3"), (back.RunId, back.Cache!.Key));
        Assert.Empty(await store.GetCachedStepsAsync("other", "/repo/flows/build.yaml", default));
    }

    [Fact]
    public async Task Pruning_the_run_holding_the_latest_cached_row_falls_back_to_the_one_before_and_a_run_without_a_file_is_its_own_workflow()
    {
        var store = await CreateStoreAsync();
        var cache = new StepCacheInfo { Key = "k1", Reason = "ran: no earlier run" };
        await store.RunStartedAsync(Run("01A", Start), default); // still running (live): pruning keeps it
        await store.StepChangedAsync(Step("01A", "compile") with { Cache = cache }, default);
        await store.RunStartedAsync(Run("01B", Start.AddMinutes(1)) with { WorkflowPath = null }, default);
        await store.StepChangedAsync(Step("01B", "compile") with { Cache = cache with { Key = "k2" } }, default);
        await store.RunFinishedAsync("01B", RunStatus.Completed, null, default);
        await store.RunStartedAsync(Run("01C", Start.AddMinutes(2)), default);
        await store.StepChangedAsync(Step("01C", "compile") with { Cache = cache with { Key = "k3" } }, default);
        await store.RunFinishedAsync("01C", RunStatus.Completed, null, default);

        var before = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];
        var withoutFile = (await store.GetCachedStepsAsync("build", null, default))["compile"];
        var deleted = await store.PruneAsync(new RunPruneOptions { Keep = 0 }, default);
        var after = (await store.GetCachedStepsAsync("build", "/repo/flows/build.yaml", default))["compile"];

        Assert.Equal(("01C", "k3"), (before.RunId, before.Cache!.Key));
        Assert.Equal(("01B", "k2"), (withoutFile.RunId, withoutFile.Cache!.Key));
        Assert.Equal(["01B", "01C"], deleted.Order(StringComparer.Ordinal));
        Assert.Equal(("01A", "k1"), (after.RunId, after.Cache!.Key));
        Assert.Empty(await store.GetCachedStepsAsync("build", null, default));
    }

    [Fact]
    public async Task File_hashes_are_replaced_by_path_and_read_back_by_folder()
    {
        var store = await CreateStoreAsync();
        await store.FileHashesAsync([new FileHash("/repo/src/a.cs", 10, 100, "h1"), new FileHash("/repo/src/b.cs", 20, 200, "h2"), new FileHash("/repo0/x", 1, 1, "hx")], default);
        await store.FileHashesAsync([new FileHash("/repo/src/a.cs", 11, 101, "h1b")], default);

        var hashes = await store.GetFileHashesAsync("/repo", default);

        Assert.Equal(["/repo/src/a.cs", "/repo/src/b.cs"], hashes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new FileHash("/repo/src/a.cs", 11, 101, "h1b"), hashes["/repo/src/a.cs"]);
        Assert.Equal(new FileHash("/repo/src/b.cs", 20, 200, "h2"), (await store.GetFileHashesAsync("/repo/", default))["/repo/src/b.cs"]);
        Assert.Empty(await store.GetFileHashesAsync("/elsewhere", default));
    }

    private static StepRecord Timed(string runId, string stepId, int seconds, StepStatus status = StepStatus.Completed) =>
        Step(runId, stepId, status) with { StartedAt = Start, FinishedAt = Start.AddSeconds(seconds) };
}
