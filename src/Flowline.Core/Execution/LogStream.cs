namespace Flowline;

/// <summary>Where a log line came from.</summary>
public enum LogStream
{
    /// <summary>A message from Flowline or an executor.</summary>
    Info,

    /// <summary>The step's standard output.</summary>
    Stdout,

    /// <summary>The step's standard error.</summary>
    Stderr,
}
