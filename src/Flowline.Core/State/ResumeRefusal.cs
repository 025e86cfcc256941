namespace Flowline.State;

/// <summary>Why a <see cref="ResumePlan"/> may not go ahead; <see cref="None"/> when it may.</summary>
public enum ResumeRefusal
{
    /// <summary>The run may be resumed.</summary>
    None,

    /// <summary>
    /// The run is still heartbeating, or its process is alive on this machine. <see cref="ResumeRequest.Force"/> overrides.
    /// </summary>
    StillRunning,

    /// <summary>The workflow file changed in ways that break the run (<see cref="ResumePlan.Changes"/>). <see cref="ResumeRequest.Force"/> overrides.</summary>
    BreakingChanges,

    /// <summary><see cref="ResumeRequest.FromStep"/> is not a step of the workflow.</summary>
    UnknownFromStep,

    /// <summary>
    /// Processes the run's steps started still run on this machine (<see cref="ResumePlan.StepProcesses"/>): a step
    /// resumed now could run twice at once. Not overridden by <see cref="ResumeRequest.Force"/>; stop them first
    /// (<see cref="ResumePlan.StopStepProcessesAsync"/>) or wait for them to end.
    /// </summary>
    StepProcessesRunning,
}
