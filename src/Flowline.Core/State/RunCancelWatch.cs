namespace Flowline.State;

/// <summary>
/// Polls the store for a cancel request (<see cref="IRunReader.GetCancelRequestAsync"/>) while a recorded run goes on,
/// and cancels the run's token when one appears (issue 17): the run then stops as it does on Ctrl+C, its steps'
/// process trees killed and the run recorded cancelled. A failed read is retried at the next tick, like a heartbeat.
/// </summary>
internal sealed class RunCancelWatch : IAsyncDisposable
{
    /// <summary>How often the store is asked: one primary-key read, so a request is seen within half a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    private readonly StoreTicker _ticker;

    private RunCancelWatch(IRunReader store, string runId, CancellationTokenSource run, Action<RunCancelRequest> requested, TimeSpan interval, TimeProvider timeProvider) =>
        // Asked once at once: a request recorded before this process polled (a cancel right after the start) counts.
        _ticker = new StoreTicker(token => AskAsync(store, runId, run, requested, token), interval, atOnce: true, timeProvider);

    /// <summary>Starts watching; <paramref name="requested"/> is called once, before <paramref name="run"/> is cancelled.</summary>
    public static RunCancelWatch Start(
        IRunReader store,
        string runId,
        CancellationTokenSource run,
        Action<RunCancelRequest> requested,
        TimeSpan? interval = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(requested);
        return new RunCancelWatch(store, runId, run, requested, interval ?? DefaultInterval, timeProvider ?? TimeProvider.System);
    }

    public ValueTask DisposeAsync() => _ticker.DisposeAsync();

    // One round: false once the run was cancelled (nothing more to watch).
    private static async Task<bool> AskAsync(IRunReader store, string runId, CancellationTokenSource run, Action<RunCancelRequest> requested, CancellationToken cancellationToken)
    {
        if (await store.GetCancelRequestAsync(runId, cancellationToken).ConfigureAwait(false) is not { } request)
        {
            return true;
        }

        requested(request);
        try
        {
            await run.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The run's token source went with the run.
        }

        return false;
    }
}
