namespace Flowline;

/// <summary>One step of a workflow (spec "Step Configuration").</summary>
public sealed record WorkflowStep
{
    /// <summary>Unique identifier, <c>[A-Za-z0-9_-]+</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable name.</summary>
    public required string Name { get; init; }

    /// <summary>Step type: <c>script</c>, <c>agent</c> or a registered custom type.</summary>
    public required string Type { get; init; }

    /// <summary>Type-specific configuration.</summary>
    public required StepConfig Config { get; init; }

    /// <summary>Ids of the steps this step waits for.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Condition expression; the step is skipped when it is false.</summary>
    public string? Condition { get; init; }

    /// <summary>When true a failure of this step is recorded but tolerated.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Step-level parallel options.</summary>
    public StepParallelOptions? Parallel { get; init; }

    /// <summary>The step's <c>retry:</c> block; null when a failure is final (one attempt).</summary>
    public RetryOptions? Retry { get; init; }

    /// <summary>The step's <c>cache:</c> block (issue 14); null when the step always runs.</summary>
    public CacheOptions? Cache { get; init; }

    /// <summary>Where this step runs when it overrides the workflow's <see cref="WorkflowDefinition.Executor"/>: <c>local</c> or <c>slurm</c> (script steps only).</summary>
    public string? Executor { get; init; }

    /// <summary>The step's <c>slurm:</c> block, overriding the workflow's field by field; null when it has none.</summary>
    public SlurmOptions? Slurm { get; init; }

    /// <summary>The step's <c>matrix:</c> block (issue 13); null for a step that runs once. The plan expands it into instances.</summary>
    public MatrixOptions? Matrix { get; init; }

    /// <summary>Set on the steps the plan expands a matrix step into: which matrix, which position, which values; null otherwise.</summary>
    public MatrixInstance? Instance { get; init; }

    /// <summary>JSON pointer of this step in its file (<c>/steps/3</c>), for looking up locations.</summary>
    public string? SourcePath { get; init; }
}
