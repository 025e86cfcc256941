namespace Flowline.State;

/// <summary>One line of a step's log file.</summary>
/// <param name="Timestamp">When the line was written; null for a line not written by <see cref="RunLogWriter"/>.</param>
/// <param name="Stream">Where the line came from.</param>
/// <param name="Text">The line, without its newline.</param>
public sealed record RunLogLine(DateTimeOffset? Timestamp, LogStream Stream, string Text);
