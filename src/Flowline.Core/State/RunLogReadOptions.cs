namespace Flowline.State;

/// <summary>How <see cref="RunLogReader.ReadAsync"/> reads a step log.</summary>
public sealed record RunLogReadOptions
{
    /// <summary>Keep reading as the file grows (and wait for it to appear) until <see cref="StopFollowing"/> says so or the token is cancelled.</summary>
    public bool Follow { get; init; }

    /// <summary>Start at this byte offset (a <see cref="WorkflowSnapshot.LogCursor"/> value); 0 reads from the start.</summary>
    public long StartOffset { get; init; }

    /// <summary>How long to wait at the end of the file before looking again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Asked at the end of the file while following; once it returns true (the run finished) the reader takes
    /// what was written meanwhile and ends. Null follows until cancellation.
    /// </summary>
    public Func<CancellationToken, ValueTask<bool>>? StopFollowing { get; init; }

    /// <summary>The clock the poll waits on; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
