using System.Text.Json.Serialization;

namespace Flowline.State;

/// <summary>Where a recorded step stands.</summary>
public enum StepRunStatus
{
    /// <summary>Waiting for its dependencies or a free slot.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>An attempt is in progress.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The step did its work.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>The last attempt failed.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Its condition was false or a dependency did not complete.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>The run was cancelled before or while the step ran.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
