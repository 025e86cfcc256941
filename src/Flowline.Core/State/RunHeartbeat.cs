namespace Flowline.State;

/// <summary>
/// Calls <see cref="IRunWriter.HeartbeatAsync"/> every interval while a run is in progress, so other processes
/// can tell a live run from one whose process died (issue #6). A failed heartbeat is not fatal to the run: the
/// next tick tries again, and the worst case is the run being shown as interrupted until it succeeds.
/// </summary>
internal sealed class RunHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    private RunHeartbeat(IRunWriter store, string runId, TimeSpan interval, TimeProvider timeProvider)
    {
        // Created before the loop runs, so a tick is never lost to a loop that has not started yet.
        _timer = new PeriodicTimer(interval, timeProvider);
        _loop = BeatAsync(store, runId);
    }

    /// <summary>Starts beating for <paramref name="runId"/>; dispose to stop (awaits the beat in flight).</summary>
    public static RunHeartbeat Start(IRunWriter store, string runId, TimeSpan? interval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return new RunHeartbeat(store, runId, interval ?? RunStoreOptions.DefaultHeartbeatInterval, timeProvider ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        // The timer first: a wait on a disposed timer ends with false, while a cancelled wait throws, and that one
        // exception's stack trace made every recorded run load System.Reflection.Metadata and read the PDBs (issue 7,
        // B6). Cancelling then only stops a beat in flight.
        _timer.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task BeatAsync(IRunWriter store, string runId)
    {
        await Task.Yield();
        try
        {
            while (await _timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await store.HeartbeatAsync(runId, _stop.Token).ConfigureAwait(false);
                }
                catch (RunStoreException)
                {
                    // Retried at the next tick; see the class remarks.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
    }
}
