using System.Globalization;

namespace Flowline;

/// <summary>
/// The one place durations are read and written for people (issue 11). Timeouts in a workflow file and on the command
/// line: whole milliseconds as the spec writes them (<c>300000</c>), or a duration string as a convenience (issue 2):
/// one or more <c>NUMBER UNIT</c> parts with units <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>, largest first, each at
/// most once (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>). Messages and reports print them short:
/// <c>450ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h5m</c>.
/// </summary>
public static class Durations
{
    /// <summary>The accepted forms in words, for messages; kept next to the parser so they cannot drift apart.</summary>
    public const string AcceptedForms =
        "whole milliseconds (300000) or a duration string made of h, m, s and ms parts, largest first (30s, 5m, 1h30m, 250ms)";

    private const long MaxMilliseconds = 922_337_203_685_477; // TimeSpan.MaxValue in milliseconds, rounded down.

    /// <summary>
    /// The longest timeout that can be enforced, about 49.7 days: a <see cref="CancellationTokenSource"/> takes at most
    /// <see cref="uint.MaxValue"/> - 1 milliseconds and throws beyond (issue 18).
    /// </summary>
    public static TimeSpan MaxTimeout { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>How <see cref="MaxTimeout"/> reads in messages, here and in the CLI's.</summary>
    public static string MaxTimeoutText { get; } =
        string.Create(CultureInfo.InvariantCulture, $"{Format(MaxTimeout)} ({(long)MaxTimeout.TotalMilliseconds} ms, about 49 days)");

    /// <summary>Reads a duration string such as <c>30s</c>, <c>1h30m</c> or <c>250ms</c>; never throws.</summary>
    /// <param name="text">The text; surrounding white space is ignored.</param>
    /// <param name="duration">The duration, on success.</param>
    /// <returns>Whether <paramref name="text"/> is a duration string (a bare number has no unit and is not).</returns>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
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

    /// <summary>A timeout given as a whole number of milliseconds (<c>timeout: 300000</c>), possibly negative (the validator reports those).</summary>
    /// <param name="milliseconds">The number.</param>
    /// <param name="duration">The duration, when it fits a <see cref="TimeSpan"/>.</param>
    /// <returns>False when the number is beyond what a <see cref="TimeSpan"/> holds.</returns>
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

    /// <summary>
    /// The short form for messages and reports: <c>450ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h5m</c>.
    /// Below a minute it keeps two decimals of seconds; from a minute on it drops what is below a second, and from an
    /// hour on what is below a minute. A negative duration prints as <c>0ms</c>.
    /// </summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The short form, in the invariant culture.</returns>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        // One string per call: interpolation into string.Create writes straight into the result (hot path: the live
        // view and every step's completion line format durations).
        var c = CultureInfo.InvariantCulture;
        if (duration.Ticks < TimeSpan.TicksPerSecond)
        {
            return string.Create(c, $"{duration.Ticks / TimeSpan.TicksPerMillisecond}ms");
        }

        if (duration.Ticks < TimeSpan.TicksPerMinute)
        {
            return duration.Ticks % TimeSpan.TicksPerSecond == 0
                ? string.Create(c, $"{duration.Ticks / TimeSpan.TicksPerSecond}s")
                : string.Create(c, $"{duration.TotalSeconds:0.##}s");
        }

        if (duration.Ticks < TimeSpan.TicksPerHour)
        {
            return duration.Seconds == 0 ? string.Create(c, $"{duration.Minutes}m") : string.Create(c, $"{duration.Minutes}m{duration.Seconds}s");
        }

        var hours = duration.Ticks / TimeSpan.TicksPerHour;
        return duration.Minutes == 0 ? string.Create(c, $"{hours}h") : string.Create(c, $"{hours}h{duration.Minutes}m");
    }

    /// <summary>
    /// A value the user wrote, in whole milliseconds with its sign (<c>-5 ms</c>), for messages that reject it:
    /// <see cref="Format"/> would hide the sign that is the mistake.
    /// </summary>
    internal static string FormatMilliseconds(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds} ms");
}
