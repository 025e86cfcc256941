namespace Flowline.State;

/// <summary>Why a <see cref="ResumePlan"/> may not go ahead; <see cref="None"/> when it may.</summary>
public enum ResumeRefusal
{
    /// <summary>The run may be resumed.</summary>
    None,

    /// <summary>The run is still heartbeating: its process looks alive. <see cref="ResumeRequest.Force"/> overrides.</summary>
    StillRunning,

    /// <summary>The workflow file changed in ways that break the run (<see cref="ResumePlan.Changes"/>). <see cref="ResumeRequest.Force"/> overrides.</summary>
    BreakingChanges,

    /// <summary><see cref="ResumeRequest.FromStep"/> is not a step of the workflow.</summary>
    UnknownFromStep,
}
