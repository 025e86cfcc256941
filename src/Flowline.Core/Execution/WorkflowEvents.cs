namespace Flowline;

/// <summary>Raised when a step's executor is about to be called.</summary>
/// <param name="StepId">The step.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="ParallelGroup">Its dependency level.</param>
public sealed record StepStartedEventArgs(string StepId, DateTimeOffset StartTime, int ParallelGroup)
{
    /// <summary>Which attempt started: 1 for the first, more when a step with a <c>retry:</c> block is tried again (issue 13).</summary>
    public int Attempt { get; init; } = 1;
}

/// <summary>Raised when a step reaches a final status, including skipped steps.</summary>
/// <param name="StepId">The step.</param>
/// <param name="Result">Its result.</param>
public sealed record StepFinishedEventArgs(string StepId, StepResult Result);

/// <summary>Raised for every log line.</summary>
/// <param name="Entry">The line.</param>
public sealed record LogReceivedEventArgs(LogEntry Entry);
