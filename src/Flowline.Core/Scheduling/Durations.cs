using System.Globalization;

namespace Flowline.Scheduling;

/// <summary>Short human durations for messages: <c>450ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h5m</c>.</summary>
internal static class Durations
{
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
