using Flowline.Scheduling;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    /// <summary>Raised on the scheduler's thread when a step starts. Keep handlers short; an exception from one is logged and ignored.</summary>
    public event EventHandler<StepStartedEventArgs>? StepStarted;

    /// <summary>Raised on the scheduler's thread when a step reaches a final status (skipped steps included). Exceptions are logged and ignored.</summary>
    public event EventHandler<StepFinishedEventArgs>? StepFinished;

    /// <summary>Raised for every log line, on the thread that wrote it. Exceptions are ignored.</summary>
    public event EventHandler<LogReceivedEventArgs>? LogReceived;

    internal void RaiseStepStarted(WorkflowRun run, string stepId, DateTimeOffset startTime, int parallelGroup)
    {
        var handler = StepStarted;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, new StepStartedEventArgs(stepId, startTime, parallelGroup));
        }
#pragma warning disable CA1031 // A UI handler must not crash the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            run.Context.Write(stepId, LogStream.Info, $"a StepStarted handler threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    internal void RaiseStepFinished(WorkflowRun run, string stepId, StepResult result)
    {
        run.Recorder?.StepSettled(stepId, result, neverRan: run.SettledByStop(result));
        var handler = StepFinished;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, new StepFinishedEventArgs(stepId, result));
        }
#pragma warning disable CA1031 // A UI handler must not crash the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            run.Context.Write(stepId, LogStream.Info, $"a StepFinished handler threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    internal void RaiseLogReceived(LogEntry entry)
    {
        Volatile.Read(ref _current)?.Recorder?.Log(entry);
        var handler = LogReceived;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, new LogReceivedEventArgs(entry));
        }
#pragma warning disable CA1031 // Logging it would raise this event again; a UI handler must not crash the run.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
