namespace Flowline;

/// <summary>
/// What the engine needs to know about one step, as the step's executor declares it
/// (<see cref="StepExecutor.Describe"/>): its timeout and who enforces it, the texts of its config that are
/// <c>{{ }}</c> templates, its own environment, and whether it runs a process. The plan reads a step only through
/// this, so a new executor for an existing step type (a cluster backend for <c>script</c>) plugs in without the
/// engine knowing its config type (issue 11).
/// </summary>
public sealed record StepTraits
{
    /// <summary>A step with no timeout, no templates and no environment of its own.</summary>
    public static StepTraits None { get; } = new();

    /// <summary>The step's own timeout (<c>config.timeout</c>); null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// True when the executor ends the step itself once <see cref="Timeout"/> passes (the script executor does, to stop
    /// the process tree gracefully); false (the default) lets the engine cancel the token it passes to the executor.
    /// </summary>
    public bool EnforcesTimeout { get; init; }

    /// <summary>Whether the step starts a child process (used to prepare the process launcher before the run).</summary>
    public bool RunsProcess { get; init; }

    /// <summary>
    /// The step's own environment (<c>config.env</c>): its values are templates the engine renders before the step
    /// starts, and <see cref="StepExecutionContext.Environment"/> merges them over the workflow's <c>env</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = EmptyMap<string>.Instance;

    /// <summary>
    /// The config texts that hold <c>{{ }}</c> templates. Their <c>steps.X</c> reads become implicit dependencies;
    /// texts without <c>{{</c> need not be listed.
    /// </summary>
    public IReadOnlyList<StepTemplate> Templates { get; init; } = [];
}
