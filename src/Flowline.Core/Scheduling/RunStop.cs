namespace Flowline.Scheduling;

/// <summary>Why and since when a run stops starting steps; the first cause wins. Read from any thread.</summary>
internal sealed class RunStop(IReadOnlyList<PlannedStep> steps, TimeSpan? workflowTimeout)
{
    private int _cause;

    /// <summary>The run's steps, set again when a dynamic matrix adds its instances (issue 13).</summary>
    public IReadOnlyList<PlannedStep> Steps { get; set; } = steps;

    public StopCause Cause => (StopCause)Volatile.Read(ref _cause);

    public bool Stopping => Cause != StopCause.None;

    /// <summary>The first step whose failure stopped the run, or -1. Written by the scheduler loop only.</summary>
    public int FatalStep { get; set; } = -1;

    public TimeSpan? WorkflowTimeout => workflowTimeout;

    /// <summary>Sets the cause unless one is set already.</summary>
    public void Set(StopCause cause) => Interlocked.CompareExchange(ref _cause, (int)cause, (int)StopCause.None);

    /// <summary>Why pending steps are skipped and running ones cancelled, for their results.</summary>
    public string Reason() => Cause switch
    {
        StopCause.StepFailed when FatalStep >= 0 => $"step '{Steps[FatalStep].Id}' failed",
        StopCause.Cancelled => "workflow cancelled",
        StopCause.TimedOut => $"workflow timed out after {Durations.Format(workflowTimeout ?? TimeSpan.Zero)}",
        _ => "the workflow stopped",
    };
}
