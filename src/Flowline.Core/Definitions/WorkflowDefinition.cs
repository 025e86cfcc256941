namespace Flowline;

/// <summary>
/// A workflow as written in YAML (spec "Basic Structure"). Immutable; build one with
/// <c>WorkflowLoader</c> or in code with an object initializer.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>Workflow name (required).</summary>
    public required string Name { get; init; }

    /// <summary>Semantic version (required).</summary>
    public required string Version { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>Global timeout bounding the whole run; YAML takes milliseconds or a duration string.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Workflow-level parallel configuration; null when the file has no <c>parallel:</c> block.</summary>
    public WorkflowParallelOptions? Parallel { get; init; }

    /// <summary>Environment variables for every step; YAML scalars are kept as their text.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = EmptyMap<string>.Instance;

    /// <summary>Free-form metadata (author, tags…), as plain values.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; init; } = EmptyMap<object?>.Instance;

    /// <summary>Named agents (issue 5); free-form per provider.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Agents { get; init; }
        = EmptyMap<IReadOnlyDictionary<string, object?>>.Instance;

    /// <summary>The steps in file order (required).</summary>
    public required IReadOnlyList<WorkflowStep> Steps { get; init; }

    /// <summary>Where the definition came from, with line and column of every node; null when built in code.</summary>
    public WorkflowSource? Source { get; init; }
}
