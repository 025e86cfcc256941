using Flowline.Caching;
using Flowline.Scheduling;
using Flowline.State;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    /// <summary>
    /// Gives a recorded run of a workflow with <c>cache:</c> steps its up-to-date checks (issue 14): each such step's
    /// latest recorded row and the kept content hashes, read once before the first step. A store that cannot be read
    /// costs the cache, not the run: every cached step then runs, and the log says why.
    /// </summary>
    private static async Task OpenCacheAsync(WorkflowRun run, WorkflowPlan plan, ExecutionOptions options, IRunStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!RunCacheSource.HasCachedSteps(plan))
        {
            return;
        }

        var workflow = plan.Workflow;
        var folder = workflow.Source?.Path is { Length: > 0 } path && File.Exists(path)
            ? Path.GetDirectoryName(Path.GetFullPath(path))!
            : run.Context.WorkingDirectory;
        IReadOnlyDictionary<string, StepRecord> previous = EmptyMap<StepRecord>.Instance;
        IReadOnlyDictionary<string, FileHash> hashes = EmptyMap<FileHash>.Instance;
        try
        {
            previous = await store.GetCachedStepsAsync(workflow.Name, RunRecorder.WorkflowPathOf(workflow), cancellationToken).ConfigureAwait(false);
            hashes = await store.GetFileHashesAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RunStoreException or OperationCanceledException)
        {
            run.Context.Write(null, LogStream.Info, $"warning: earlier runs could not be read, so every step with cache: runs: {exception.Message}");
        }

        run.CacheSource = new RunCacheSource(store);
        run.Cache = run.CacheSource.Add(new RunCache(previous, hashes, folder, options, time));
    }

    /// <summary>Hands the content hashes the run computed to the store; failing to keep them only costs the next run some hashing.</summary>
    private static async Task KeepFileHashesAsync(WorkflowRun run, IRunStore store)
    {
        if (run.CacheSource is not { } source)
        {
            return;
        }

        var fresh = source.FreshHashes;
        source.Dispose();
        if (fresh.Count == 0)
        {
            return;
        }

        try
        {
            await store.FileHashesAsync(fresh, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RunStoreException)
        {
            // The run is recorded; the hashes are a speed-up that the next run recomputes.
        }
    }
}
