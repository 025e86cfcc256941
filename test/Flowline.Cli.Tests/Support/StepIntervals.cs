using System.Globalization;

namespace Flowline.Cli.Tests;

/// <summary>The intervals steps recorded themselves with <see cref="Workflows.Timed"/>.</summary>
internal sealed record StepInterval(string Id, long Start, long End);

internal static class StepIntervals
{
    public static IReadOnlyList<StepInterval> Read(string log)
    {
        var starts = new Dictionary<string, long>(StringComparer.Ordinal);
        var intervals = new List<StepInterval>();
        foreach (var line in File.ReadAllLines(log))
        {
            var parts = line.Split(' ');
            var time = long.Parse(parts[2], CultureInfo.InvariantCulture);
            if (parts[1] == "start")
            {
                starts.Add(parts[0], time);
            }
            else
            {
                intervals.Add(new StepInterval(parts[0], starts[parts[0]], time));
            }
        }

        Assert.Equal(starts.Count, intervals.Count);
        return intervals.OrderBy(i => i.Start).ToList();
    }

    /// <summary>
    /// The most intervals open at one instant. Recorded intervals lie inside the real ones, so this never
    /// overstates; an end at the same instant as a start counts as before it.
    /// </summary>
    public static int MaxOverlap(IReadOnlyList<StepInterval> intervals)
    {
        var events = intervals.SelectMany(i => new[] { (Time: i.Start, Delta: 1), (Time: i.End, Delta: -1) })
            .OrderBy(e => e.Time).ThenBy(e => e.Delta);
        int open = 0, peak = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            peak = Math.Max(peak, open);
        }

        return peak;
    }
}
