namespace Flowline.Execution;

/// <summary>
/// The runner's public events as a run observer. A handler that throws is logged to the run and ignored: a UI
/// handler must not crash the run.
/// </summary>
internal sealed class RunnerEvents(WorkflowRunner runner, Action<string?, string> log) : IRunObserver
{
    public ValueTask StepStartingAsync(string stepId, int level, DateTimeOffset startTime, int attempt) => ValueTask.CompletedTask;

    public void StepStarted(string stepId, DateTimeOffset startTime, int level, int attempt)
    {
        if (runner.StepStartedHandler is not { } handler)
        {
            return;
        }

        try
        {
            handler(runner, new StepStartedEventArgs(stepId, startTime, level) { Attempt = attempt });
        }
#pragma warning disable CA1031 // A UI handler must not crash the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            log(stepId, $"a StepStarted handler threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    public void StepFinished(string stepId, StepResult result, bool neverRan)
    {
        if (runner.StepFinishedHandler is not { } handler)
        {
            return;
        }

        try
        {
            handler(runner, new StepFinishedEventArgs(stepId, result));
        }
#pragma warning disable CA1031 // A UI handler must not crash the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            log(stepId, $"a StepFinished handler threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    public void Log(LogEntry entry)
    {
        if (runner.LogReceivedHandler is not { } handler)
        {
            return;
        }

        try
        {
            handler(runner, new LogReceivedEventArgs(entry));
        }
#pragma warning disable CA1031 // Logging it would raise this event again; a UI handler must not crash the run.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
