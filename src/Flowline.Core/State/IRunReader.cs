namespace Flowline.State;

/// <summary>
/// The reading seam of a run store (issue 11): the history that <c>flowline runs</c>, <c>show</c>, <c>logs</c> and
/// <c>resume</c> query, and the durations the engine orders steps by. Queries report a running run whose heartbeat
/// stopped as <see cref="RunStatus.Interrupted"/> (<see cref="RunHistory.ReportedStatus(RunRecord, DateTimeOffset, TimeSpan)"/>). Code that only reads,
/// such as a report of past runs, takes this and cannot change the record.
/// </summary>
public interface IRunReader
{
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

    /// <summary>
    /// A snapshot of the run built from its records (<see cref="RunHistory.ToSnapshot"/>), for
    /// <see cref="ResumePlan"/> and <see cref="ExecutionOptions.ResumeFrom"/>; null for an unknown run.
    /// </summary>
    public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The handles recorded for run <paramref name="runId"/>'s steps (<see cref="IRunWriter.StepHandleAsync"/>), by step id.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The handles; empty when there are none or the store keeps none.</returns>
    public Task<IReadOnlyDictionary<string, string>> GetStepHandlesAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(EmptyMap<string>.Instance);

    /// <summary>
    /// For each step of the workflow that has <c>cache:</c> (issue 14), its latest recorded row with a
    /// <see cref="StepRecord.Cache"/> in the workflow's history (matched as <see cref="GetStepDurationsAsync"/> matches
    /// runs): the engine skips the step when that row completed with the key the step has now. An up-to-date copy (a
    /// row whose entry has <see cref="StepCacheInfo.UpToDate"/> and <see cref="StepCacheInfo.FromRun"/>) counts only
    /// when no row whose step ran is left: the row it was restored from has the same key, status and output, and keeps
    /// the inputs and files, which a store may leave out of the copy.
    /// </summary>
    /// <param name="workflowName">The workflow's name.</param>
    /// <param name="workflowPath">The workflow file's full path, or null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows by step id; empty when there are none or the store keeps no history.</returns>
    public Task<IReadOnlyDictionary<string, StepRecord>> GetCachedStepsAsync(string workflowName, string? workflowPath, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, StepRecord>>(EmptyMap<StepRecord>.Instance);

    /// <summary>The content hashes kept (<see cref="IRunWriter.FileHashesAsync"/>) for files under <paramref name="folder"/>, by full path.</summary>
    /// <param name="folder">A full folder path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The hashes; empty when there are none or the store keeps none.</returns>
    public Task<IReadOnlyDictionary<string, FileHash>> GetFileHashesAsync(string folder, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, FileHash>>(EmptyMap<FileHash>.Instance);

    /// <summary>
    /// The request that run <paramref name="runId"/> stop (<see cref="IRunStore.RequestCancelAsync"/>), or null. The
    /// engine asks for it while the run goes on and cancels the run when there is one (issue 17).
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The request; null when there is none or the store keeps none.</returns>
    public Task<RunCancelRequest?> GetCancelRequestAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult<RunCancelRequest?>(null);
}
