using Flowline.Execution;

namespace Flowline.State;

/// <summary>The recorder as one of the run's observers (issue 11): recording is a listener, not part of the event raisers.</summary>
internal sealed partial class RunRecorder : IRunObserver
{
    ValueTask IRunObserver.StepStartingAsync(string stepId, int level, DateTimeOffset startTime, int attempt)
    {
        // Queued, not awaited: a step's start does not wait for the disk (issue 15; see the class remarks).
        StepStarting(stepId, level, startTime, attempt);
        return ValueTask.CompletedTask;
    }

    void IRunObserver.StepStarted(string stepId, DateTimeOffset startTime, int level, int attempt)
    {
        // The running row is queued by StepStartingAsync, before the executor starts.
    }

    void IRunObserver.StepFinished(string stepId, StepResult result, bool neverRan) => StepSettled(stepId, result, neverRan);

    void IRunObserver.Log(LogEntry entry) => Log(entry);
}
