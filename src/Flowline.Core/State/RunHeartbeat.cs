namespace Flowline.State;

/// <summary>
/// Calls <see cref="IRunWriter.HeartbeatAsync"/> every interval while a run is in progress, so other processes
/// can tell a live run from one whose process died (issue #6). A failed heartbeat is not fatal to the run: the
/// next tick tries again, and the worst case is the run being shown as interrupted until it succeeds.
/// </summary>
internal sealed class RunHeartbeat : IAsyncDisposable
{
    private readonly StoreTicker _ticker;

    private RunHeartbeat(IRunWriter store, string runId, TimeSpan interval, TimeProvider timeProvider) =>
        _ticker = new StoreTicker(
            async token =>
            {
                await store.HeartbeatAsync(runId, token).ConfigureAwait(false);
                return true;
            },
            interval,
            atOnce: false,
            timeProvider);

    /// <summary>Starts beating for <paramref name="runId"/>; dispose to stop (awaits the beat in flight).</summary>
    public static RunHeartbeat Start(IRunWriter store, string runId, TimeSpan? interval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return new RunHeartbeat(store, runId, interval ?? RunStoreOptions.DefaultHeartbeatInterval, timeProvider ?? TimeProvider.System);
    }

    public ValueTask DisposeAsync() => _ticker.DisposeAsync();
}
