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
}
