namespace Flowline.State;

/// <summary>Settings shared by the run stores.</summary>
public sealed record RunStoreOptions
{
    /// <summary>How often the engine should call <see cref="IRunWriter.HeartbeatAsync"/> while a run is in progress.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A running run whose last heartbeat is older than this is reported as <see cref="RunStatus.Interrupted"/>;
    /// three missed heartbeats by default, so a busy machine is not mistaken for a dead process.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; init; } = 3 * DefaultHeartbeatInterval;

    /// <summary>How long a write waits for another process's transaction before giving up.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open without ever writing (for <c>flowline runs</c>, <c>show</c> and <c>logs</c>): writes fail with <see cref="RunStoreException"/>.</summary>
    public bool ReadOnly { get; init; }
}
