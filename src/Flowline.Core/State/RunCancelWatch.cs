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

    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    private RunCancelWatch(IRunReader store, string runId, CancellationTokenSource run, Action<RunCancelRequest> requested, TimeSpan interval, TimeProvider timeProvider)
    {
        _timer = new PeriodicTimer(interval, timeProvider);
        _loop = WatchAsync(store, runId, run, requested);
    }

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

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        // The timer first, as RunHeartbeat does: a wait on a disposed timer ends with false instead of throwing.
        _timer.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WatchAsync(IRunReader store, string runId, CancellationTokenSource run, Action<RunCancelRequest> requested)
    {
        await Task.Yield();
        try
        {
            // Asked once at once: a request recorded before this process polled (a cancel right after the start) counts.
            do
            {
                RunCancelRequest? request;
                try
                {
                    request = await store.GetCancelRequestAsync(runId, _stop.Token).ConfigureAwait(false);
                }
                catch (RunStoreException)
                {
                    continue;
                }

                if (request is not null)
                {
                    requested(request);
                    await run.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            while (await _timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
        catch (ObjectDisposedException)
        {
            // The run's token source went with the run.
        }
    }
}
