namespace Flowline.State;

/// <summary>One line of a step's log file.</summary>
/// <param name="Timestamp">When the line was written; null for a line not written by <see cref="RunLogWriter"/>.</param>
/// <param name="Stream">Where the line came from.</param>
/// <param name="Text">The line, without its newline.</param>
public sealed record RunLogLine(DateTimeOffset? Timestamp, LogStream Stream, string Text)
{
    /// <summary>
    /// Reads one line of a step's log file (docs/state.md "Step logs"), for a reader that tails the files itself as
    /// <c>flowline logs</c> does. A line not written by <see cref="RunLogWriter"/> reads as an info line without a time.
    /// </summary>
    /// <param name="line">The line, without its newline.</param>
    public static RunLogLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return RunLogFormat.Parse(line);
    }
}
