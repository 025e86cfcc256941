namespace Flowline.State;

/// <summary>Filters for <see cref="IRunReader.ListRunsAsync"/>; runs come newest first.</summary>
public sealed record RunQuery
{
    /// <summary>Only runs of the workflow with this name.</summary>
    public string? Workflow { get; init; }

    /// <summary>Only runs with this status (as reported, so <see cref="RunStatus.Interrupted"/> works).</summary>
    public RunStatus? Status { get; init; }

    /// <summary>At most this many runs; 0 or less means no limit.</summary>
    public int Limit { get; init; } = 20;
}
