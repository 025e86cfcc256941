namespace Flowline;

/// <summary>How parallel a run was (spec "Parallel Execution Statistics"); present on every result.</summary>
public sealed record ParallelStats
{
    /// <summary>Number of dependency levels of the workflow.</summary>
    public required int TotalGroups { get; init; }

    /// <summary>The highest number of steps observed running at the same time.</summary>
    public required int MaxConcurrentSteps { get; init; }

    /// <summary>For every pool of <c>parallel.resources</c>: busy unit-time / (pool size × run wall time), in [0, 1].</summary>
    public required IReadOnlyDictionary<string, double> ResourceUtilization { get; init; }
}
