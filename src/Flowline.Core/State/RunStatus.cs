using System.Text.Json.Serialization;

namespace Flowline.State;

/// <summary>Where a recorded run stands (issue #6).</summary>
public enum RunStatus
{
    /// <summary>The run is in progress and its process is heartbeating.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Every step completed or was skipped.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>A step failed, or the run timed out.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The run was cancelled (Ctrl+C, a cancelled token).</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>
    /// The run was recorded as running but its heartbeat stopped: the process died or was killed.
    /// Stores report it at query time (see <see cref="RunStoreOptions.HeartbeatTimeout"/>).
    /// </summary>
    [JsonStringEnumMemberName("interrupted")]
    Interrupted,
}
