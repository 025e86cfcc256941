namespace Flowline.State;

/// <summary>
/// Where runs are recorded (issue #6): the writing seam the engine records through (<see cref="IRunWriter"/>), the
/// history queries read (<see cref="IRunReader"/>), and pruning. <see cref="ExecutionOptions.RunStore"/> takes this
/// whole interface because the engine both records and reads the durations of earlier runs.
/// <see cref="SqliteRunStore"/> is the default; <c>Flowline.Testing.InMemoryRunStore</c> is for tests.
/// </summary>
/// <remarks>
/// Pruning is on neither seam: it is no part of recording a run, and a reader must not be able to delete the history
/// it was handed; it is maintenance of the store as a whole (<c>flowline runs prune</c>).
/// </remarks>
public interface IRunStore : IRunWriter, IRunReader
{
    /// <summary>Deletes old runs, their steps and their log folders; returns the deleted run ids.</summary>
    public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the process recording run <paramref name="runId"/> to cancel it (issue 17): the request is recorded, and
    /// that process's engine, which polls for it (<see cref="IRunReader.GetCancelRequestAsync"/>), cancels the run as
    /// Ctrl+C would. Returns at once; the run is cancelled when its status says so.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="requestedBy">Who asks, shown in the run's log (<c>dashboard (alice)</c>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when the request was recorded; false when the run is not recorded as running (or the store keeps no requests).</returns>
    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken) => Task.FromResult(false);
}
