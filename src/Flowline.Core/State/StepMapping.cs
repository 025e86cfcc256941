namespace Flowline.State;

/// <summary>
/// The one mapping between a step's live <see cref="StepResult"/> and its stored forms, <see cref="StepSnapshot"/> and
/// <see cref="StepRecord"/> (issue 11, item 4). The recorder, live snapshots, resume and <c>flowline show</c> all go
/// through it, so what is kept of a step and how it reads back is decided here once.
/// </summary>
/// <remarks>
/// <see cref="StepRecord"/> and <see cref="StepSnapshot"/> stay two types: the record carries its run id for the
/// store, and folding them would add <c>runId</c> to every step of the public snapshot JSON.
/// </remarks>
internal static class StepMapping
{
    /// <summary>
    /// A settled step as stored. <paramref name="neverRan"/> marks a step skipped because the run stopped: it is kept
    /// as cancelled (its documented meaning, "cancelled before or while it ran") so a resume runs it. Only a completed
    /// step keeps its output, capped at <paramref name="outputLimitBytes"/> (docs/state.md "Recording a run").
    /// </summary>
    public static StepSnapshot ToSnapshot(string stepId, StepResult result, bool neverRan, int outputLimitBytes)
    {
        var status = neverRan ? StepStatus.Cancelled : result.Status;
        var completed = status == StepStatus.Completed;
        return new StepSnapshot
        {
            StepId = stepId,
            Status = status,
            Attempts = result.Attempts,
            StartedAt = result.StartTime,
            FinishedAt = result.EndTime,
            Output = completed ? StateValues.ToElement(result.Output, outputLimitBytes) : null,

            // One column for both: a skipped step's reason is its "error" once stored; ToResult splits them again.
            Error = result.Status == StepStatus.Skipped ? result.SkipReason : result.Error,
            ParallelGroup = result.ParallelGroup,
            ExitCode = result.ExitCode,
            Outputs = completed ? result.Outputs : EmptyMap<string>.Instance,
            Cache = result.Cache,
        };
    }

    /// <summary>The snapshot entry as the store's row for run <paramref name="runId"/>.</summary>
    public static StepRecord ToRecord(string runId, StepSnapshot step) => new()
    {
        RunId = runId,
        StepId = step.StepId,
        Status = step.Status,
        Attempts = step.Attempts,
        StartedAt = step.StartedAt,
        FinishedAt = step.FinishedAt,
        Output = step.Output,
        Error = step.Error,
        ParallelGroup = step.ParallelGroup,
        ExitCode = step.ExitCode,
        Outputs = step.Outputs,
        Cache = step.Cache,
    };

    /// <summary>The store's row as a snapshot entry.</summary>
    public static StepSnapshot ToSnapshot(StepRecord step) => new()
    {
        StepId = step.StepId,
        Status = step.Status,
        Attempts = step.Attempts,
        StartedAt = step.StartedAt,
        FinishedAt = step.FinishedAt,
        Output = step.Output,
        Error = step.Error,
        ParallelGroup = step.ParallelGroup,
        ExitCode = step.ExitCode,
        Outputs = step.Outputs,
        Cache = step.Cache,
    };

    /// <summary>
    /// A stored step as a result, read literally: its status as stored, the stored error back as the skip reason of a
    /// skipped step, none on a completed one (the engine never gives a completed step an error), a group of 0 when none
    /// was recorded. How a past run's statuses are reinterpreted for reading is <see cref="RunHistory"/>'s business.
    /// </summary>
    public static StepResult ToResult(StepSnapshot step) => new()
    {
        Status = step.Status,
        Output = StateValues.FromElement(step.Output),
        Error = step.Status is StepStatus.Skipped or StepStatus.Completed ? null : step.Error,
        SkipReason = step.Status == StepStatus.Skipped ? step.Error : null,
        ExecutionTime = step is { StartedAt: { } start, FinishedAt: { } end } ? end - start : TimeSpan.Zero,
        ParallelGroup = step.ParallelGroup ?? 0,
        StartTime = step.StartedAt,
        EndTime = step.FinishedAt,
        Attempts = step.Attempts,
        ExitCode = step.ExitCode,
        Outputs = step.Outputs,
        Cache = step.Cache,
    };
}
