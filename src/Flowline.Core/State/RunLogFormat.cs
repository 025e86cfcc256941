using System.Globalization;

namespace Flowline.State;

/// <summary>
/// The log file format: one UTF-8 line per output line, <c>2026-11-26T02:34:16.123Z out text</c>, the stream
/// tag being <c>out</c>, <c>err</c> or <c>inf</c>. Both streams share one file so their interleaving is kept and
/// <c>grep</c> still works; <c>cut -d' ' -f3-</c> gives the bare text.
/// </summary>
internal static class RunLogFormat
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const int TimeLength = 24;

    public static string Format(DateTimeOffset time, LogStream stream, string text) =>
        string.Concat(time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture), " ", Tag(stream), " ", text);

    public static RunLogLine Parse(string line)
    {
        // A line someone appended by hand still reads, as an info line without a time.
        if (line.Length >= TimeLength + 4
            && line[TimeLength] == ' '
            && line[TimeLength + 4] is ' '
            && DateTime.TryParseExact(line.AsSpan(0, TimeLength), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            && FromTag(line.AsSpan(TimeLength + 1, 3)) is { } stream)
        {
            return new RunLogLine(new DateTimeOffset(time, TimeSpan.Zero), stream, line[(TimeLength + 5)..]);
        }

        return new RunLogLine(null, LogStream.Info, line);
    }

    private static string Tag(LogStream stream) => stream switch
    {
        LogStream.Stdout => "out",
        LogStream.Stderr => "err",
        _ => "inf",
    };

    private static LogStream? FromTag(ReadOnlySpan<char> tag) => tag switch
    {
        "out" => LogStream.Stdout,
        "err" => LogStream.Stderr,
        "inf" => LogStream.Info,
        _ => null,
    };
}
