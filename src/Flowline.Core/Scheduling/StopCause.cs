namespace Flowline.Scheduling;

/// <summary>Why a run stopped starting steps; the first cause wins.</summary>
internal enum StopCause
{
    None,
    StepFailed,
    Cancelled,
    TimedOut,
}
