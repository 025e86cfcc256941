namespace Flowline.Execution;

/// <summary>Several observers as one, in order: the store first, so that a step's row is written before any handler sees it.</summary>
internal sealed class RunObservers(IReadOnlyList<IRunObserver> observers) : IRunObserver
{
    public async ValueTask StepStartingAsync(string stepId, int level, DateTimeOffset startTime, int attempt)
    {
        foreach (var observer in observers)
        {
            await observer.StepStartingAsync(stepId, level, startTime, attempt).ConfigureAwait(false);
        }
    }

    public void StepStarted(string stepId, DateTimeOffset startTime, int level, int attempt)
    {
        foreach (var observer in observers)
        {
            observer.StepStarted(stepId, startTime, level, attempt);
        }
    }

    public void StepFinished(string stepId, StepResult result, bool neverRan)
    {
        foreach (var observer in observers)
        {
            observer.StepFinished(stepId, result, neverRan);
        }
    }

    public void Log(LogEntry entry)
    {
        foreach (var observer in observers)
        {
            observer.Log(entry);
        }
    }
}
