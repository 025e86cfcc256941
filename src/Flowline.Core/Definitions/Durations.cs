using System.Globalization;

namespace Flowline;

/// <summary>
/// The one place durations are read and written. Timeouts in a workflow file and on the command line: whole
/// milliseconds as the spec writes them (<c>300000</c>), or a duration string as a convenience (issue 2): one or more <c>NUMBER UNIT</c> parts with units <c>h</c>, <c>m</c>, <c>s</c>,
/// <c>ms</c>, largest first, each at most once (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>). Messages and
/// reports print them short: <c>450ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h5m</c>.
/// </summary>
internal static class Durations
{
    /// <summary>Words for messages, kept next to the parser so they cannot drift apart.</summary>
    public const string AcceptedForms =
        "whole milliseconds (300000) or a duration string made of h, m, s and ms parts, largest first (30s, 5m, 1h30m, 250ms)";

    private const long MaxMilliseconds = 922_337_203_685_477; // TimeSpan.MaxValue in milliseconds, rounded down.

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return false;
        }

        long total = 0;
        var lastRank = int.MaxValue;
        var i = 0;
        while (i < span.Length)
        {
            var digitsStart = i;
            long number = 0;
            while (i < span.Length && char.IsAsciiDigit(span[i]))
            {
                number = (number * 10) + (span[i] - '0');
                if (number > MaxMilliseconds)
                {
                    return false;
                }

                i++;
            }

            if (i == digitsStart || i == span.Length)
            {
                return false;
            }

            int rank;
            long unit;
            if (span[i] == 'm' && i + 1 < span.Length && span[i + 1] == 's')
            {
                (rank, unit) = (0, 1);
                i += 2;
            }
            else
            {
                (rank, unit) = span[i] switch
                {
                    'h' => (3, 3_600_000L),
                    'm' => (2, 60_000L),
                    's' => (1, 1_000L),
                    _ => (-1, 0L),
                };
                i++;
            }

            if (rank < 0 || rank >= lastRank || number > (MaxMilliseconds - total) / unit)
            {
                return false;
            }

            lastRank = rank;
            total += number * unit;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>A timeout given as a YAML integer: milliseconds, possibly negative (the validator reports those).</summary>
    public static bool TryFromMilliseconds(long milliseconds, out TimeSpan duration)
    {
        duration = default;
        if (milliseconds is > MaxMilliseconds or < -MaxMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>Short human form for messages and reports: <c>450ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h5m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        if (duration.TotalSeconds < 1)
        {
            return $"{(long)duration.TotalMilliseconds}ms";
        }

        if (duration.TotalMinutes < 1)
        {
            return duration.Ticks % TimeSpan.TicksPerSecond == 0
                ? $"{(long)duration.TotalSeconds}s"
                : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.##}s");
        }

        if (duration.TotalHours < 1)
        {
            return duration.Seconds == 0 ? $"{duration.Minutes}m" : $"{duration.Minutes}m{duration.Seconds}s";
        }

        return duration.Minutes == 0 ? $"{(long)duration.TotalHours}h" : $"{(long)duration.TotalHours}h{duration.Minutes}m";
    }
}
