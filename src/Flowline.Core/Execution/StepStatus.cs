namespace Flowline;

/// <summary>Where one step stands.</summary>
public enum StepStatus
{
    /// <summary>Waiting for its dependencies or for capacity.</summary>
    Pending,

    /// <summary>Its executor is running.</summary>
    Running,

    /// <summary>Succeeded.</summary>
    Completed,

    /// <summary>Returned an unsuccessful result, timed out or threw.</summary>
    Failed,

    /// <summary>Never ran: its condition was false, or the run stopped before it could start (see <see cref="StepResult.SkipReason"/>).</summary>
    Skipped,

    /// <summary>Was running when the run was cancelled, timed out or hit a fatal failure.</summary>
    Cancelled,
}
