namespace Flowline.Execution;

/// <summary>
/// What a run tells the world as it goes (issue 11): the runner's public events and the run store each observe it
/// through this, so that the scheduler knows neither. Called on the scheduler's thread, except <see cref="Log"/>.
/// Implementations must not throw.
/// </summary>
internal interface IRunObserver
{
    /// <summary>A step is about to run; the executor starts when the returned task completes (the run store no longer makes it wait: issue 15).</summary>
    public ValueTask StepStartingAsync(string stepId, int level, DateTimeOffset startTime, int attempt);

    /// <summary>An attempt of a step has started (<paramref name="attempt"/> is 1 for the first; issue 13).</summary>
    public void StepStarted(string stepId, DateTimeOffset startTime, int level, int attempt);

    /// <summary>A step reached a final status; <paramref name="neverRan"/> when it was skipped because the run stopped or could not start.</summary>
    public void StepFinished(string stepId, StepResult result, bool neverRan);

    /// <summary>A log line, on the thread that wrote it.</summary>
    public void Log(LogEntry entry);
}
