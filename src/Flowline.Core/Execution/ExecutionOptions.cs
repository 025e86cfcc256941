namespace Flowline;

/// <summary>How one run is executed (spec "Execute the Workflow"). Every property is optional.</summary>
public sealed record ExecutionOptions
{
    /// <summary>Runtime variables, readable by conditions and templates as <c>variables.NAME</c>.</summary>
    public IReadOnlyDictionary<string, object?> Variables { get; init; } = EmptyMap<object?>.Instance;

    /// <summary>
    /// Values of the workflow's declared <c>secrets</c>, by name (issue 13, <c>--secrets-file</c>); a declared secret not
    /// here is read from Flowline's environment, and one found in neither stops the run before any step starts. Never
    /// recorded: the store, logs and reports show each value as <c>***</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = EmptyMap<string>.Instance;

    /// <summary>
    /// Render an undefined value in a <c>{{ }}</c> template as the empty string instead of failing the step
    /// (<c>--allow-undefined</c>). Off by default: a misspelt path silently vanishing from a command is worse than an error.
    /// </summary>
    public bool AllowUndefined { get; init; }

    /// <summary>
    /// Keep going after failures, like <c>make -k</c>: every step behaves as if it had <c>continueOnError: true</c>,
    /// but the workflow still fails when any step failed without its own <c>continueOnError</c>.
    /// </summary>
    public bool ContinueOnError { get; init; }

    /// <summary>
    /// Seeds <c>random()</c> in conditions and templates (docs/expressions.md): each step draws from its own sequence,
    /// derived from this seed and the step's id, so runs with the same seed draw the same numbers. Null (the default)
    /// draws from <see cref="Random.Shared"/>. Never for anything secret.
    /// </summary>
    public int? RandomSeed { get; init; }

    /// <summary>Bounds the whole run; overrides the workflow's <c>timeout</c>. On expiry the run ends <see cref="WorkflowStatus.Failed"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>False forces one step at a time; true or null lets the workflow's <c>parallel.enabled</c> decide (absent = parallel).</summary>
    public bool? ParallelEnabled { get; init; }

    /// <summary>Global limit on running steps; overrides <c>parallel.defaultMaxConcurrency</c>. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Where <c>script</c> steps run, overriding the workflow's and every step's <c>executor:</c> (issue 12,
    /// <c>flowline run --executor</c>): <c>local</c> or <c>slurm</c>. Null keeps what the file says.
    /// </summary>
    public string? Executor { get; init; }

    /// <summary>
    /// What starts the run, recorded with it in the run store (issue 17) and shown by <c>flowline runs</c> and the
    /// dashboard: the CLI records <c>cli run</c> or <c>cli resume</c>, <c>flowline mcp</c> <c>mcp</c>, the dashboard
    /// <c>dashboard</c>; a program using the library may name itself. The operating-system user is recorded beside it.
    /// </summary>
    public string Origin { get; init; } = "library";

    /// <summary>
    /// On cancellation, leave the run's Slurm jobs running instead of cancelling them (<c>flowline run --detach</c>), so
    /// that <c>flowline resume</c> re-attaches to them (docs/slurm.md). Local processes are stopped either way.
    /// </summary>
    public bool DetachOnCancel { get; init; }

    /// <summary>
    /// Run every step with <c>cache:</c> even when it is up to date (<c>flowline run --force</c>, issue 14,
    /// docs/caching.md). Its new key is recorded, so later runs compare against this run.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>
    /// Run these steps (by id) even when they are up to date (<c>flowline run --force STEP</c>); the steps that depend
    /// on them run when what they read from them changed their keys.
    /// </summary>
    public IReadOnlyList<string> ForceSteps { get; init; } = [];

    /// <summary>Folder relative paths resolve against; default: the workflow file's folder, else the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The run's id (<c>FLOWLINE_RUN_ID</c>); default: a new GUID in "N" format.</summary>
    public string? RunId { get; init; }

    /// <summary>How much of each output stream a process step keeps in its result (the tail beyond is dropped). Default 1 MiB.</summary>
    public int OutputLimitBytes { get; init; } = 1024 * 1024;

    /// <summary>How long a cancelled or timed-out process step gets to exit after the graceful signal before it is killed. Default 3 s.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many log lines <see cref="WorkflowContext.GetLogs"/> keeps; older lines are dropped. Default 10,000.</summary>
    public int LogCapacity { get; init; } = 10_000;

    /// <summary>
    /// How long each step is expected to take, by step id. Ready steps start in order of the longest expected path
    /// from them to the end of the workflow (critical path first; docs/scheduling.md); a step without an entry counts
    /// as the median of those with one. Null (the default) reads them from <see cref="RunStore"/>'s history of this
    /// workflow when there is a store; with no durations at all every step weighs the same, so the longest path is
    /// counted in steps. Ignored in sequential mode, which keeps file order.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan>? ExpectedDurations { get; init; }

    /// <summary>
    /// Where the run is recorded (issue #6, docs/state.md); null runs without state and costs nothing. Each state
    /// change is committed before the engine acts on it. The run id defaults to a ULID when a store is given.
    /// </summary>
    public State.IRunStore? RunStore { get; init; }

    /// <summary>
    /// The folder whose <c>runs/RUN_ID/STEP.log</c> files receive each step's log lines; by default the folder of a
    /// <see cref="State.SqliteRunStore"/>, none for other stores.
    /// </summary>
    public State.StateDirectory? StateDirectory { get; init; }

    /// <summary>
    /// Resumes an earlier run (<c>flowline resume</c>; the spec's <c>restoreFromSnapshot</c>): its completed
    /// and skipped steps, with their outputs, are kept when every dependency of theirs is kept too; every other step runs.
    /// A step that was running when the earlier run died runs again (at-least-once).
    /// </summary>
    public State.WorkflowSnapshot? ResumeFrom { get; init; }

    /// <summary>
    /// Receives what the run's up-to-date checks looked at, for the whole-run manifest <c>flowline run</c> keeps
    /// (issue 14, docs/caching.md "Whole-run check"); null when no one asks.
    /// </summary>
    internal Caching.CacheWatch? CacheWatch { get; init; }
}
