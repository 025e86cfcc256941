namespace Flowline;

/// <summary>One line of a run's log.</summary>
/// <param name="Timestamp">When the line was written (the runner's clock).</param>
/// <param name="StepId">The step that wrote it; null for the runner's own messages.</param>
/// <param name="Stream">Where it came from.</param>
/// <param name="Text">The line, without its line terminator.</param>
public sealed record LogEntry(DateTimeOffset Timestamp, string? StepId, LogStream Stream, string Text);
