namespace Flowline.State;

/// <summary>
/// The writing seam of a run store (issue 11): what the engine calls while it records a run. It awaits each call
/// before acting on the change it records, so a crash never leaves the engine ahead of its record. A decorator that
/// only watches writes (the CLI's warning on a failed write) or a store that only records implements this alone.
/// </summary>
public interface IRunWriter
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

    /// <summary>
    /// Records <paramref name="handle"/>, an executor's opaque text that finds a step's work again after a crash (a
    /// Slurm job id and folder), replacing the step's earlier one. Committed before the task completes. A store that
    /// does not implement it keeps none, and a resumed run then starts such steps afresh.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="stepId">The step.</param>
    /// <param name="handle">The handle.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task StepHandleAsync(string runId, string stepId, string handle, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Keeps files' content hashes (issue 14, <c>cache.sources</c>), replacing earlier ones for the same paths, so a
    /// later run hashes only the files whose size or modification time changed. A store that does not implement it
    /// keeps none, and every run hashes every source file again.
    /// </summary>
    /// <param name="hashes">The hashes to keep.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task FileHashesAsync(IReadOnlyList<FileHash> hashes, CancellationToken cancellationToken) => Task.CompletedTask;
}
