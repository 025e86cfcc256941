using Flowline.Execution;

namespace Flowline.Scheduling;

/// <summary>
/// A child run's observer (issue 14): its steps reach the parent's observers, so the live view, the store, the logs
/// and the traces, as <c>STEP/CHILD</c>; a line of the child run's own goes to the workflow step.
/// </summary>
internal sealed class NestedObserver(string prefix, string stepId, IRunObserver parent) : IRunObserver
{
    public ValueTask StepStartingAsync(string stepId, int level, DateTimeOffset startTime, int attempt) =>
        parent.StepStartingAsync(prefix + stepId, level, startTime, attempt);

    public void StepStarted(string stepId, DateTimeOffset startTime, int level, int attempt) =>
        parent.StepStarted(prefix + stepId, startTime, level, attempt);

    public void StepFinished(string stepId, StepResult result, bool neverRan) =>
        parent.StepFinished(prefix + stepId, result, neverRan);

    public void Log(LogEntry entry) =>
        parent.Log(entry with { StepId = entry.StepId is null ? stepId : prefix + entry.StepId });
}
