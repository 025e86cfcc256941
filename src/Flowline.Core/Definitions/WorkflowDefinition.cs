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

    /// <summary>
    /// The declared variables (issue 13), in file order; empty when the file has no <c>variables:</c> block, and then
    /// any variable may be given and read, as before.
    /// </summary>
    public IReadOnlyDictionary<string, VariableDefinition> Variables { get; init; } = EmptyMap<VariableDefinition>.Instance;

    /// <summary>Free-form metadata (author, tags…), as plain values.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; init; } = EmptyMap<object?>.Instance;

    /// <summary>
    /// The names of the secrets the workflow needs (issue 13, docs/secrets.md): templates read them as
    /// <c>{{ secrets.NAME }}</c>, their values come from <see cref="ExecutionOptions.Secrets"/> or Flowline's environment,
    /// and every occurrence of a value is masked as <c>***</c> in whatever Flowline writes or shows.
    /// </summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>
    /// What the workflow returns when another one runs it as a <c>type: workflow</c> step (issue 14,
    /// docs/workflows-in-workflows.md): output names to templates over its steps, read by the parent as
    /// <c>steps.ID.output.NAME</c>. Rendered once the workflow's steps have finished.
    /// </summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = EmptyMap<string>.Instance;

    /// <summary>Named agents (issue 5); free-form per provider.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Agents { get; init; }
        = EmptyMap<IReadOnlyDictionary<string, object?>>.Instance;

    /// <summary>
    /// Where <c>script</c> steps run unless a step says otherwise (issue 12): <c>local</c> (null means local) or
    /// <c>slurm</c>. Agent steps and custom types always run locally.
    /// </summary>
    public string? Executor { get; init; }

    /// <summary>The workflow's <c>slurm:</c> block, read by steps that run on Slurm; null when the file has none.</summary>
    public SlurmOptions? Slurm { get; init; }

    /// <summary>The steps in file order (required).</summary>
    public required IReadOnlyList<WorkflowStep> Steps { get; init; }

    /// <summary>Where the definition came from, with line and column of every node; null when built in code.</summary>
    public WorkflowSource? Source { get; init; }
}
