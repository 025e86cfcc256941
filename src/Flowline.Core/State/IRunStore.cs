namespace Flowline.State;

/// <summary>
/// Where runs are recorded (issue #6). The engine awaits each call before acting on the change it records,
/// so a crash never leaves the engine ahead of its record. <see cref="SqliteRunStore"/> is the default;
/// <c>Flowline.Testing.InMemoryRunStore</c> is for tests.
/// </summary>
public interface IRunStore
{
    /// <summary>Records a new run; its status is <see cref="RunStatus.Running"/> and its heartbeat starts now.</summary>
    public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Records a step's new state, replacing the previous one for the same run and step.</summary>
    public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken);

    /// <summary>
    /// Records several step changes, in order, as <see cref="StepChangedAsync"/> would one by one; a store that can
    /// commits them in one transaction (the engine batches the changes that pile up while a write is in flight).
    /// </summary>
    public async Task StepsChangedAsync(IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps)
        {
            await StepChangedAsync(step, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records the end of a run, stamped with the store's clock.</summary>
    public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken);

    /// <summary>Proves the run's process is alive; call every <see cref="RunStoreOptions.DefaultHeartbeatInterval"/>.</summary>
    public Task HeartbeatAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The run with this id, or null.</summary>
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Runs matching <paramref name="query"/>, newest first.</summary>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>The run's steps in the order they were first recorded; empty for an unknown run.</summary>
    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// How long the workflow's steps took lately: for each step id, the median duration of the times it completed in
    /// the workflow's latest <paramref name="runs"/> recorded runs (matched by <see cref="RunRecord.WorkflowName"/> and
    /// <see cref="RunRecord.WorkflowPath"/>, a null path matching a null path). The engine starts the ready steps with
    /// the longest expected path ahead of them first (docs/scheduling.md). A store without history returns an empty map.
    /// </summary>
    public Task<IReadOnlyDictionary<string, TimeSpan>> GetStepDurationsAsync(
        string workflowName,
        string? workflowPath,
        int runs,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, TimeSpan>>(EmptyMap<TimeSpan>.Instance);

    /// <summary>Deletes old runs, their steps and their log folders; returns the deleted run ids.</summary>
    public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken);

    /// <summary>A snapshot of the run built from its records (for <c>flowline resume</c>), or null for an unknown run.</summary>
    public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken);
}
