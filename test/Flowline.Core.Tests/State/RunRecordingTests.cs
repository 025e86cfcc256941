using System.Text.Json;
using Flowline.Core.Tests.Engine;
using Flowline.State;
using Flowline.Testing;

namespace Flowline.Core.Tests.State;

/// <summary>The engine recording a run in <see cref="ExecutionOptions.RunStore"/> and resuming from a snapshot (issue #6).</summary>
public sealed class RunRecordingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static WorkflowDefinition Chain() => EngineKit.Workflow(EngineKit.Step("a"), EngineKit.Step("b", "a"), EngineKit.Step("c", "b"));

    [Fact]
    public async Task The_runner_records_the_run_and_every_step_with_its_output()
    {
        var store = new InMemoryRunStore();
        var fake = new FakeStepExecutor(behavior: (step, _, _) => Task.FromResult(StepExecutionResult.Succeeded("out of " + step.Id)));
        var runner = EngineKit.Runner(fake);

        var result = await runner.ExecuteAsync(Chain(), new ExecutionOptions { RunStore = store, Variables = new Dictionary<string, object?> { ["env"] = "prod" } }).Within();

        var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(26, run.Id.Length);
        Assert.Equal("prod", run.Variables["env"].GetString());
        var steps = await store.GetStepsAsync(run.Id, CancellationToken.None);
        Assert.Equal(["a", "b", "c"], steps.Select(s => s.StepId));
        Assert.All(steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.Equal("out of b", steps[1].Output!.Value.GetString());
    }

    [Fact]
    public async Task Steps_start_without_waiting_for_the_store_and_their_rows_commit_in_dependency_order()
    {
        // Issue 15: the running row is a hint; the promise rests on the order of the queue (docs/state.md).
        var store = new HeldStore();
        var fake = new FakeStepExecutor();
        var running = EngineKit.Runner(fake).ExecuteAsync(Chain(), new ExecutionOptions { RunStore = store });

        await fake.WhenStarted("c").Within();
        var committedWhileHeld = store.Committed.ToArray();
        store.Release();
        var result = await running.Within();

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Empty(committedWhileHeld);
        Assert.Equal(["a=Running", "a=Completed", "b=Running", "b=Completed", "c=Running", "c=Completed"], store.Committed);
    }

    [Fact]
    public async Task A_failing_store_does_not_fail_the_workflow_and_the_log_says_the_run_is_no_longer_recorded()
    {
        var runner = EngineKit.Runner(new FakeStepExecutor());

        var result = await runner.ExecuteAsync(Chain(), new ExecutionOptions { RunStore = new BrokenStore() }).Within();

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Single(runner.Context!.GetLogs(), line => line.Text.Contains("no longer recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_runner_starts_ready_steps_by_the_durations_recorded_in_earlier_runs()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var workflow = EngineKit.Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1 },
            EngineKit.Step("short"),
            EngineKit.Step("short-2", "short"),
            EngineKit.Step("long"));
        var earlier = DateTimeOffset.UnixEpoch.AddYears(56);
        await store.RunStartedAsync(new RunRecord { Id = "01EARLIER", WorkflowName = workflow.Name, WorkflowVersion = workflow.Version, StartedAt = earlier }, default);
        foreach (var (stepId, milliseconds) in new[] { ("short", 10), ("short-2", 10), ("long", 300) })
        {
            await store.StepChangedAsync(
                new StepRecord { RunId = "01EARLIER", StepId = stepId, Status = StepStatus.Completed, StartedAt = earlier, FinishedAt = earlier.AddMilliseconds(milliseconds) },
                default);
        }

        var fake = new FakeStepExecutor();
        var result = await EngineKit.Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { RunStore = store }).Within();

        Assert.True(result.Success);
        Assert.Equal(["long", "short", "short-2"], fake.StartOrder);
        Assert.Equal(2, (await store.ListRunsAsync(new RunQuery(), default)).Count);
    }

    [Fact]
    public async Task A_store_whose_history_cannot_be_read_still_runs_the_workflow_ordered_by_step_count_and_says_so()
    {
        var fake = new FakeStepExecutor();
        var runner = EngineKit.Runner(fake);
        var workflow = EngineKit.Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1 },
            EngineKit.Step("short"),
            EngineKit.Step("short-2", "short"),
            EngineKit.Step("long"));

        var result = await runner.ExecuteAsync(workflow, new ExecutionOptions { RunStore = new UnreadableHistoryStore() }).Within();

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(["short", "short-2", "long"], fake.StartOrder);
        var warning = Assert.Single(runner.Context!.GetLogs(), line => line.Text.Contains("durations of earlier runs could not be read", StringComparison.Ordinal));
        Assert.Contains("database is locked", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_logs_go_to_one_file_per_step_under_the_state_folder()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var runner = EngineKit.Runner(new FakeStepExecutor(behavior: (step, context, _) =>
        {
            context.Log("line one of " + step.Id, LogStream.Stdout);
            return Task.FromResult(StepExecutionResult.Succeeded());
        }));

        await runner.ExecuteAsync(Chain(), new ExecutionOptions { RunStore = store }).Within();

        var runId = runner.Context!.RunId;
        var lines = new List<RunLogLine>();
        await foreach (var line in RunLogReader.ReadAsync(_folder.StateDirectory.StepLogPath(runId, "b")))
        {
            lines.Add(line);
        }

        var only = Assert.Single(lines);
        Assert.Equal("line one of b", only.Text);
        Assert.Equal(LogStream.Stdout, only.Stream);
    }

    [Fact]
    public async Task An_output_larger_than_the_limit_is_stored_truncated()
    {
        var store = new InMemoryRunStore();
        var runner = EngineKit.Runner(new FakeStepExecutor(behavior: (_, _, _) => Task.FromResult(StepExecutionResult.Succeeded(new string('x', 5000)))));

        await runner.ExecuteAsync(EngineKit.Workflow(EngineKit.Step("a")), new ExecutionOptions { RunStore = store, OutputLimitBytes = 100 }).Within();

        var step = Assert.Single(await store.GetStepsAsync(runner.Context!.RunId, CancellationToken.None));
        var output = step.Output!.Value.GetString()!;
        Assert.StartsWith(new string('x', 100), output, StringComparison.Ordinal);
        Assert.Contains("truncated to 100 bytes", output, StringComparison.Ordinal);
        Assert.True(output.Length < 200);
    }

    [Fact]
    public async Task A_snapshot_taken_mid_run_round_trips_through_json_and_resumes_without_rerunning_completed_steps()
    {
        var first = new FakeStepExecutor(behavior: (step, _, _) => Task.FromResult(StepExecutionResult.Succeeded("out of " + step.Id))).Hold("b");
        var runner = EngineKit.Runner(first);
        using var cancel = new CancellationTokenSource();
        var running = runner.ExecuteAsync(Chain(), new ExecutionOptions { Variables = new Dictionary<string, object?> { ["n"] = 3L } }, cancel.Token);
        await first.WhenStarted("b").Within();

        var json = runner.Context!.CreateSnapshot().ToJson();
        await cancel.CancelAsync();
        await running.Within();
        var snapshot = WorkflowSnapshot.FromJson(json);

        var second = new FakeStepExecutor(behavior: (step, context, _) =>
            Task.FromResult(StepExecutionResult.Succeeded($"{step.Id} saw n={context.Options.Variables["n"]}")));
        var resumed = await EngineKit.Runner(second).ExecuteAsync(Chain(), new ExecutionOptions { ResumeFrom = snapshot }).Within();

        Assert.Equal(WorkflowStatus.Completed, resumed.Status);
        Assert.Equal(["b", "c"], second.StartOrder);
        Assert.Equal("out of a", resumed.StepResults["a"].Output);
        Assert.Equal("b saw n=3", resumed.StepResults["b"].Output);
        Assert.Equal(StepStatus.Running, snapshot.Steps.Single(s => s.StepId == "b").Status);
    }

    [Fact]
    public async Task A_resumed_run_reruns_a_skipped_step_whose_dependency_runs_again()
    {
        var snapshot = new WorkflowSnapshot
        {
            RunId = "01OLD",
            WorkflowName = "test",
            WorkflowVersion = "1.0.0",
            Steps =
            [
                new StepSnapshot { StepId = "a", Status = StepStatus.Failed },
                new StepSnapshot { StepId = "b", Status = StepStatus.Skipped, Error = "skipped: step 'a' failed" },
            ],
        };
        var fake = new FakeStepExecutor();

        var result = await EngineKit.Runner(fake).ExecuteAsync(EngineKit.Workflow(EngineKit.Step("a"), EngineKit.Step("b", "a")), new ExecutionOptions { ResumeFrom = snapshot }).Within();

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(["a", "b"], fake.StartOrder);
    }

    [Fact]
    public async Task A_snapshot_user_code_took_and_saved_restores_through_the_options_of_the_next_run()
    {
        // Issue 11: the spec's context.restoreFromSnapshot is ExecutionOptions.ResumeFrom, usable from user code.
        var first = EngineKit.Runner(new FakeStepExecutor());
        await first.ExecuteAsync(Chain()).Within();
        var saved = first.Context!.CreateSnapshot().ToJson();
        var fake = new FakeStepExecutor();

        var result = await EngineKit.Runner(fake).ExecuteAsync(Chain(), new ExecutionOptions { ResumeFrom = WorkflowSnapshot.FromJson(saved) }).Within();

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Empty(fake.StartOrder);
        Assert.All(result.StepResults.Values, r => Assert.Equal(StepStatus.Completed, r.Status));
        Assert.Null(typeof(WorkflowContext).GetMethod("RestoreFromSnapshot"));
    }

    /// <summary>Holds every step write until released, then commits them in the order they came.</summary>
    private sealed class HeldStore : IRunStore
    {
        private readonly InMemoryRunStore _inner = new();
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _committed = [];

        public IReadOnlyList<string> Committed
        {
            get
            {
                lock (_committed)
                {
                    return [.. _committed];
                }
            }
        }

        public void Release() => _release.TrySetResult();

        public async Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken)
        {
            await _release.Task;
            await _inner.StepChangedAsync(step, cancellationToken);
            lock (_committed)
            {
                _committed.Add($"{step.StepId}={step.Status}");
            }
        }

        public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken) => _inner.RunStartedAsync(run, cancellationToken);

        public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken) => _inner.RunFinishedAsync(runId, status, error, cancellationToken);

        public Task HeartbeatAsync(string runId, CancellationToken cancellationToken) => _inner.HeartbeatAsync(runId, cancellationToken);

        public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken) => _inner.GetRunAsync(runId, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => _inner.ListRunsAsync(query, cancellationToken);

        public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) => _inner.GetStepsAsync(runId, cancellationToken);

        public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken) => _inner.PruneAsync(options, cancellationToken);

        public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken) => _inner.LoadSnapshotAsync(runId, cancellationToken);
    }

    private sealed class BrokenStore : IRunStore
    {
        private static Task Fail() => Task.FromException(new RunStoreException("disk full", "/nowhere/flowline.db"));

        public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken) => Fail();

        public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken) => Fail();

        public Task HeartbeatAsync(string runId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken) => Task.FromResult<RunRecord?>(null);

        public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RunRecord>>([]);

        public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StepRecord>>([]);

        public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken) => Task.FromResult<WorkflowSnapshot?>(null);
    }

    private sealed class UnreadableHistoryStore : IRunStore
    {
        private readonly InMemoryRunStore _inner = new();

        public Task<IReadOnlyDictionary<string, TimeSpan>> GetStepDurationsAsync(string workflowName, string? workflowPath, int runs, CancellationToken cancellationToken) =>
            Task.FromException<IReadOnlyDictionary<string, TimeSpan>>(new RunStoreException("database is locked", "/nowhere/flowline.db"));

        public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken) => _inner.RunStartedAsync(run, cancellationToken);

        public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken) => _inner.StepChangedAsync(step, cancellationToken);

        public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken) => _inner.RunFinishedAsync(runId, status, error, cancellationToken);

        public Task HeartbeatAsync(string runId, CancellationToken cancellationToken) => _inner.HeartbeatAsync(runId, cancellationToken);

        public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken) => _inner.GetRunAsync(runId, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => _inner.ListRunsAsync(query, cancellationToken);

        public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) => _inner.GetStepsAsync(runId, cancellationToken);

        public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken) => _inner.PruneAsync(options, cancellationToken);

        public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken) => _inner.LoadSnapshotAsync(runId, cancellationToken);
    }
}
