namespace Flowline;

public sealed partial class WorkflowRunner
{
    /// <summary>Raised on the scheduler's thread when a step starts. Keep handlers short; an exception from one is logged and ignored.</summary>
    public event EventHandler<StepStartedEventArgs>? StepStarted;

    /// <summary>Raised on the scheduler's thread when a step reaches a final status (skipped steps included). Exceptions are logged and ignored.</summary>
    public event EventHandler<StepFinishedEventArgs>? StepFinished;

    /// <summary>Raised for every log line, on the thread that wrote it. Exceptions are ignored.</summary>
    public event EventHandler<LogReceivedEventArgs>? LogReceived;

    // Read by Execution.RunnerEvents, the observer that raises them.
    internal EventHandler<StepStartedEventArgs>? StepStartedHandler => StepStarted;

    internal EventHandler<StepFinishedEventArgs>? StepFinishedHandler => StepFinished;

    internal EventHandler<LogReceivedEventArgs>? LogReceivedHandler => LogReceived;
}
