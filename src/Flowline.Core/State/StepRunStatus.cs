namespace Flowline.State;

/// <summary>Where a recorded step stands.</summary>
public enum StepRunStatus
{
    /// <summary>Waiting for its dependencies or a free slot.</summary>
    Pending,

    /// <summary>An attempt is in progress.</summary>
    Running,

    /// <summary>The step did its work.</summary>
    Completed,

    /// <summary>The last attempt failed.</summary>
    Failed,

    /// <summary>Its condition was false or a dependency did not complete.</summary>
    Skipped,

    /// <summary>The run was cancelled before or while the step ran.</summary>
    Cancelled,
}
