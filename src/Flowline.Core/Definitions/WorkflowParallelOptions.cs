namespace Flowline;

/// <summary>The workflow's <c>parallel:</c> block.</summary>
public sealed record WorkflowParallelOptions
{
    /// <summary>False runs steps one at a time; null or true lets independent steps run together.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Global concurrency limit unless the execution options give one.</summary>
    public int? DefaultMaxConcurrency { get; init; }

    /// <summary>Named resource pools and their sizes.</summary>
    public IReadOnlyDictionary<string, int> Resources { get; init; } = EmptyMap<int>.Instance;

    /// <summary>
    /// Pools that Slurm enforces instead of Flowline (issue 12), by pool name: the Slurm license each unit is
    /// (<c>parallel.resources: { db: { size: 1, slurmLicense: db } }</c>). Steps in such a pool must run on Slurm.
    /// </summary>
    public IReadOnlyDictionary<string, string> SlurmLicenses { get; init; } = EmptyMap<string>.Instance;
}
