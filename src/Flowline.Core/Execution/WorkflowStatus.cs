namespace Flowline;

/// <summary>Where a run stands (spec "Status Tracking").</summary>
public enum WorkflowStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Executing.</summary>
    Running,

    /// <summary>Finished and every failure, if any, was tolerated by <c>continueOnError</c>.</summary>
    Completed,

    /// <summary>A step failed fatally, a step failed under <see cref="ExecutionOptions.ContinueOnError"/>, the workflow timed out, or it could not start.</summary>
    Failed,

    /// <summary>Cancelled by <see cref="WorkflowRunner.Cancel"/> or the caller's token.</summary>
    Cancelled,
}
