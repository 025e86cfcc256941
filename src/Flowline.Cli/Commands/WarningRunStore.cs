using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// Passes every call to the store and writes the first write failure to stderr: the engine then goes on without
/// state (docs/state.md "Store failures during a run"), and the user should know the run is no longer recorded.
/// </summary>
internal sealed class WarningRunStore(IRunStore inner, CliConsole console) : IRunStore
{
    private int _warned;

    public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken) => Watch(inner.RunStartedAsync(run, cancellationToken));

    public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken) => Watch(inner.StepChangedAsync(step, cancellationToken));

    public Task StepsChangedAsync(IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken) => Watch(inner.StepsChangedAsync(steps, cancellationToken));

    public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken) =>
        Watch(inner.RunFinishedAsync(runId, status, error, cancellationToken));

    public Task StepHandleAsync(string runId, string stepId, string handle, CancellationToken cancellationToken) =>
        Watch(inner.StepHandleAsync(runId, stepId, handle, cancellationToken));

    public Task<IReadOnlyDictionary<string, string>> GetStepHandlesAsync(string runId, CancellationToken cancellationToken) =>
        inner.GetStepHandlesAsync(runId, cancellationToken);

    public Task FileHashesAsync(IReadOnlyList<FileHash> hashes, CancellationToken cancellationToken) => Watch(inner.FileHashesAsync(hashes, cancellationToken));

    public Task<IReadOnlyDictionary<string, StepRecord>> GetCachedStepsAsync(string workflowName, string? workflowPath, CancellationToken cancellationToken) =>
        inner.GetCachedStepsAsync(workflowName, workflowPath, cancellationToken);

    public Task<IReadOnlyDictionary<string, FileHash>> GetFileHashesAsync(string folder, CancellationToken cancellationToken) =>
        inner.GetFileHashesAsync(folder, cancellationToken);

    public Task HeartbeatAsync(string runId, CancellationToken cancellationToken) => inner.HeartbeatAsync(runId, cancellationToken);

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken) => inner.GetRunAsync(runId, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) => inner.GetStepsAsync(runId, cancellationToken);

    public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken) => inner.PruneAsync(options, cancellationToken);

    public Task<IReadOnlyDictionary<string, TimeSpan>> GetStepDurationsAsync(string workflowName, string? workflowPath, int runs, CancellationToken cancellationToken) =>
        inner.GetStepDurationsAsync(workflowName, workflowPath, runs, cancellationToken);

    public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken) => inner.LoadSnapshotAsync(runId, cancellationToken);

    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken) =>
        inner.RequestCancelAsync(runId, requestedBy, cancellationToken);

    public Task<RunCancelRequest?> GetCancelRequestAsync(string runId, CancellationToken cancellationToken) =>
        inner.GetCancelRequestAsync(runId, cancellationToken);

    private async Task Watch(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (RunStoreException exception)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                await console.Error.WriteLineAsync($"warning: the run is no longer recorded ({exception.Message}); the workflow goes on.").ConfigureAwait(false);
            }

            throw;
        }
    }
}
