namespace Flowline;

/// <summary>
/// A step's <c>retry:</c> block (issue 13, docs/retries.md): how many times a failed step is tried in all, and how
/// long to wait between tries. A step that could not start, a cancelled step and (with <see cref="OnExitCodes"/>) a
/// timed-out attempt are not tried again.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>The most attempts a step may have.</summary>
    public const int MaxAttempts = 100;

    /// <summary>The wait before the second attempt when <see cref="Delay"/> is not given: one second.</summary>
    public static TimeSpan DefaultDelay { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Tries in all, the first included: 1 to <see cref="MaxAttempts"/>.</summary>
    public int Attempts { get; init; }

    /// <summary>The wait before the second attempt; <see cref="DefaultDelay"/> when null.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Each later wait is the previous one times this (1, the default, keeps it constant); at least 1.</summary>
    public double? Backoff { get; init; }

    /// <summary>The longest one wait may be, whatever the backoff makes of it; null for no cap.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>Only these exit codes are retried (and then not a timed-out attempt); null retries any failure.</summary>
    public IReadOnlyList<int>? OnExitCodes { get; init; }

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 for the first retry): <c>delay × backoff^(attempt − 2)</c>, capped by <see cref="MaxDelay"/>.</summary>
    /// <param name="attempt">The attempt about to start, 2 or more.</param>
    /// <returns>The wait, never negative and never beyond <see cref="Durations.MaxTimeout"/>.</returns>
    public TimeSpan DelayBefore(int attempt)
    {
        var first = Delay ?? DefaultDelay;
        var factor = Backoff is { } b && double.IsFinite(b) && b > 1 ? Math.Pow(b, Math.Max(0, attempt - 2)) : 1;
        var milliseconds = Math.Max(0, first.TotalMilliseconds * factor);
        var cap = Durations.MaxTimeout.TotalMilliseconds;
        if (MaxDelay is { } max && max >= TimeSpan.Zero)
        {
            cap = Math.Min(cap, max.TotalMilliseconds);
        }

        return TimeSpan.FromMilliseconds(double.IsFinite(milliseconds) ? Math.Min(milliseconds, cap) : cap);
    }
}
