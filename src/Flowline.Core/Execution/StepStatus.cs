using System.Text.Json.Serialization;

namespace Flowline;

/// <summary>
/// Where one step stands, in a live run and in a recorded one (issue 11: one enum for both). The JSON names are the
/// words run snapshots and the state database have always used.
/// </summary>
public enum StepStatus
{
    /// <summary>Waiting for its dependencies or for capacity.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Its executor is running.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Succeeded.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>Returned an unsuccessful result, timed out or threw.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Never ran: its condition was false, or the run stopped before it could start (see <see cref="StepResult.SkipReason"/>).</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Was running when the run was cancelled, timed out or hit a fatal failure.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
