namespace Flowline.Agents.Chat;

/// <summary>
/// Bounded exponential backoff with jitter for transient provider failures (issue 5): attempt n waits a random
/// time between half and all of <c>BaseDelay × 2^(n-1)</c>, capped at <see cref="MaxDelay"/>; a server's
/// <c>Retry-After</c> is honoured instead, capped at <see cref="MaxRetryAfter"/>.
/// </summary>
internal sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt, TimeSpan? retryAfter, Random random)
    {
        if (retryAfter is { } after)
        {
            return after < TimeSpan.Zero ? TimeSpan.Zero : after > MaxRetryAfter ? MaxRetryAfter : after;
        }

        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (random.NextDouble() * 0.5)));
    }
}
