namespace Flowline.State;

/// <summary>Where a recorded run stands (issue #6).</summary>
public enum RunStatus
{
    /// <summary>The run is in progress and its process is heartbeating.</summary>
    Running,

    /// <summary>Every step completed or was skipped.</summary>
    Completed,

    /// <summary>A step failed, or the run timed out.</summary>
    Failed,

    /// <summary>The run was cancelled (Ctrl+C, a cancelled token).</summary>
    Cancelled,

    /// <summary>
    /// The run was recorded as running but its heartbeat stopped: the process died or was killed.
    /// Stores report it at query time (see <see cref="RunStoreOptions.HeartbeatTimeout"/>).
    /// </summary>
    Interrupted,
}
