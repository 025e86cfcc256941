namespace Flowline;

/// <summary>The outcome of one step in a run.</summary>
public sealed record StepResult
{
    /// <summary>Final status.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>
    /// True when the step completed, or was skipped because its <c>condition</c> was false (it did what the workflow
    /// asked; issue 4). A step skipped because the run stopped is not successful.
    /// </summary>
    public bool Success => Status == StepStatus.Completed || (Status == StepStatus.Skipped && SkippedByCondition);

    /// <summary>True when the step was skipped because its <c>condition</c> was false.</summary>
    public bool SkippedByCondition { get; init; }

    /// <summary>The executor's output.</summary>
    public object? Output { get; init; }

    /// <summary>Why the step failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>Time between start and end; zero when the step never ran.</summary>
    public TimeSpan ExecutionTime { get; init; }

    /// <summary>The step's dependency level: 0 without dependencies, else 1 + the highest level among them.</summary>
    public int ParallelGroup { get; init; }

    /// <summary>When the executor was called.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the step finished.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>How many times the executor was called (0 when the step never ran).</summary>
    public int Attempts { get; init; }

    /// <summary>Exit code of a process step.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Captured standard output (bounded).</summary>
    public string? Stdout { get; init; }

    /// <summary>Captured standard error (bounded).</summary>
    public string? Stderr { get; init; }

    /// <summary>
    /// Named outputs, readable as <c>steps.ID.output.KEY</c>; a script step writes them to the file named by
    /// <c>FLOWLINE_OUTPUT</c> as <c>KEY=value</c> lines or <c>KEY&lt;&lt;DELIM</c> blocks.
    /// </summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = EmptyMap<string>.Instance;

    /// <summary>Why the step was skipped, e.g. <c>skipped: step 'build' failed</c>.</summary>
    public string? SkipReason { get; init; }

    /// <summary>
    /// True when the step did not run because it was up to date (its <c>cache:</c>, issue 14): it completed with the
    /// stdout and named outputs of the earlier run named by <see cref="StepCacheInfo.FromRun"/>.
    /// </summary>
    public bool Cached => Cache is { UpToDate: true };

    /// <summary>For a step with <c>cache:</c>: its key and why it ran or not; null for other steps.</summary>
    public StepCacheInfo? Cache { get; init; }

    /// <summary>Extra values the executor recorded.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; init; } = EmptyMap<object?>.Instance;
}
