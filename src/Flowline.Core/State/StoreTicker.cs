namespace Flowline.State;

/// <summary>
/// The one periodic loop a recorded run keeps beside it (the liveness heartbeat, the cancel watch): calls a tick at
/// every interval on the thread pool until the tick says it is done or the loop is disposed. A tick that throws
/// <see cref="RunStoreException"/> is retried at the next interval: the store is shared, and a busy or briefly failing
/// database must not fail the run.
/// </summary>
internal sealed class StoreTicker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    /// <param name="tick">One round; returns false when the loop has nothing more to do.</param>
    /// <param name="interval">The time between rounds.</param>
    /// <param name="atOnce">Whether the first round runs at once rather than after one interval.</param>
    /// <param name="timeProvider">The clock.</param>
    public StoreTicker(Func<CancellationToken, Task<bool>> tick, TimeSpan interval, bool atOnce, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(timeProvider);

        // Created before the loop runs, so a tick is never lost to a loop that has not started yet.
        _timer = new PeriodicTimer(interval, timeProvider);
        _loop = LoopAsync(tick, atOnce);
    }

    /// <summary>Stops the loop and waits for the round in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        // The timer first: a wait on a disposed timer ends with false, while a cancelled wait throws, and that one
        // exception's stack trace made every recorded run load System.Reflection.Metadata and read the PDBs (issue 7,
        // B6). Cancelling then only stops a round in flight.
        _timer.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(Func<CancellationToken, Task<bool>> tick, bool atOnce)
    {
        await Task.Yield();
        try
        {
            if (!atOnce && !await _timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                return;
            }

            do
            {
                try
                {
                    if (!await tick(_stop.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (RunStoreException)
                {
                    // Retried at the next interval; see the class remarks.
                }
            }
            while (await _timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
    }
}
