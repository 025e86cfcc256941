using System.Globalization;

namespace Flowline.State;

/// <summary>
/// A recorded run read back as the engine's own types (issue 11, item 4): a <see cref="WorkflowResult"/> that the
/// report generators print exactly as they print a live run (<see cref="WorkflowRunner.GenerateSummaryReport"/>,
/// docs/reports.md), the <see cref="WorkflowDefinition"/> it ran, and a <see cref="WorkflowSnapshot"/> to resume
/// it. <c>flowline show</c> is these calls and a print; a store of your own uses <see cref="ToSnapshot"/> and
/// <see cref="ReportedStatus(RunRecord, DateTimeOffset, TimeSpan)"/> to follow the same rules as <see cref="SqliteRunStore"/>.
/// </summary>
public static class RunHistory
{
    private const string InterruptedStep = "interrupted: the runner stopped while the step ran";

    /// <summary>
    /// How long the run took: to its end; for a run that never ended, to the last sign of life it left — its last
    /// heartbeat, or a step's start or end when later (the first heartbeat is at the start, so a run killed before
    /// the next one would read a few milliseconds, issue 18). Null when the run has no time to end at.
    /// </summary>
    /// <param name="run">The run, as a store's query returns it.</param>
    /// <param name="steps">Its steps; empty to use the run's own times only.</param>
    public static TimeSpan? Duration(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        if (run.FinishedAt is { } finished)
        {
            return finished - run.StartedAt;
        }

        var end = run.HeartbeatAt;
        foreach (var step in steps)
        {
            foreach (var time in (ReadOnlySpan<DateTimeOffset?>)[step.StartedAt, step.FinishedAt])
            {
                if (time is { } t && (end is null || t > end))
                {
                    end = t;
                }
            }
        }

        return end is { } last ? last - run.StartedAt : null;
    }

    /// <summary>
    /// The run's result as it reads now. A step recorded as cancelled without an attempt never ran because the run
    /// stopped, and reads as skipped, as it did live; in an interrupted run a step still recorded as running reads as
    /// cancelled. The run's execution time runs to its end, or to its last heartbeat if it never ended.
    /// </summary>
    /// <param name="run">The run, as a store's query returns it (its status already resolved to interrupted).</param>
    /// <param name="steps">Its steps, as <see cref="IRunReader.GetStepsAsync"/> returns them.</param>
    public static WorkflowResult ToResult(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        var results = new Dictionary<string, StepResult>(steps.Count, StringComparer.Ordinal);
        var groups = 0;
        var events = new List<(DateTimeOffset Time, int Delta)>();
        foreach (var step in steps)
        {
            var result = ToResult(run, step);
            groups = Math.Max(groups, result.ParallelGroup + 1);
            results[step.StepId] = result;
            if (step is { StartedAt: { } started, FinishedAt: { } finished, Attempts: > 0 })
            {
                events.Add((started, 1));
                events.Add((finished, -1));
            }
        }

        return new WorkflowResult
        {
            Status = run.Status switch
            {
                RunStatus.Completed => WorkflowStatus.Completed,
                RunStatus.Cancelled => WorkflowStatus.Cancelled,
                RunStatus.Running => WorkflowStatus.Running,
                _ => WorkflowStatus.Failed,
            },
            ExecutionTime = Duration(run, steps) ?? TimeSpan.Zero,
            Error = run.Status == RunStatus.Interrupted
                ? $"interrupted: the runner stopped heartbeating at {Time(run.HeartbeatAt)}; `flowline resume {run.Id}` continues it"
                : run.Error,
            StepResults = results,
            ParallelStats = new ParallelStats
            {
                TotalGroups = groups,
                MaxConcurrentSteps = PeakConcurrency(events),
                ResourceUtilization = EmptyMap<double>.Instance,
            },
        };
    }

    /// <summary>
    /// The workflow the run executed: its file when it still loads without errors and has the recorded content hash
    /// (so step names and order are the real ones), else a stand-in named after the run that lists the recorded steps.
    /// </summary>
    public static WorkflowDefinition ToDefinition(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        if (run.WorkflowPath is { } path && File.Exists(path)
            && WorkflowLoader.LoadFile(path) is { Definition: { } loaded } load
            && !load.Diagnostics.Any(d => d.IsError)
            && loaded.Source?.ContentHash == run.ContentHash)
        {
            // Issue 13: the run's steps are the matrix instances it expanded, with the variables it ran with.
            return Planning.MatrixExpansion.Any(loaded) ? RecordedMatrices.Expand(loaded, StateValues.FromElements(run.Variables), [.. steps.Select(StepMapping.ToSnapshot)]) : loaded;
        }

        return new WorkflowDefinition
        {
            Name = run.WorkflowName,
            Version = run.WorkflowVersion,
            Steps = [.. steps.Select(step => new WorkflowStep { Id = step.StepId, Name = step.StepId, Type = "script", Config = new CustomStepConfig() })],
        };
    }

    /// <summary>
    /// A snapshot of the run built from its records, as <see cref="IRunReader.LoadSnapshotAsync"/> returns it: what
    /// <see cref="ExecutionOptions.ResumeFrom"/> and <see cref="ResumePlan.Create"/> take.
    /// </summary>
    /// <param name="run">The run, its status as reported (see <see cref="ReportedStatus(RunRecord, DateTimeOffset, TimeSpan)"/>).</param>
    /// <param name="steps">Its steps in the order they were first recorded.</param>
    /// <param name="logCursor">Per step, the byte length of its log file; null or empty for a store without logs.</param>
    /// <param name="takenAt">When the snapshot is taken: now, by the store's clock.</param>
    public static WorkflowSnapshot ToSnapshot(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyDictionary<string, long>? logCursor, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        return new WorkflowSnapshot
        {
            RunId = run.Id,
            WorkflowName = run.WorkflowName,
            WorkflowVersion = run.WorkflowVersion,
            WorkflowPath = run.WorkflowPath,
            ContentHash = run.ContentHash,
            Variables = run.Variables,
            Options = run.Options,
            Status = run.Status,
            Steps = [.. steps.Select(StepMapping.ToSnapshot)],
            LogCursor = logCursor ?? new Dictionary<string, long>(StringComparer.Ordinal),
            TakenAt = takenAt,
        };
    }

    /// <summary>
    /// The status a store reports for a run (docs/state.md "Interrupted runs"): a run whose row says running but whose
    /// heartbeat is older than <paramref name="heartbeatTimeout"/> is <see cref="RunStatus.Interrupted"/>. Computed at
    /// query time, never written, so a suspended process that heartbeats again shows as running again.
    /// </summary>
    public static RunStatus ReportedStatus(RunStatus stored, DateTimeOffset? heartbeatAt, DateTimeOffset now, TimeSpan heartbeatTimeout) =>
        stored == RunStatus.Running && heartbeatAt is { } beat && now - beat > heartbeatTimeout ? RunStatus.Interrupted : stored;

    /// <summary>
    /// The status a store reports for <paramref name="run"/> as stored: the heartbeat rule above, and for a run
    /// recorded by a process of this machine (<see cref="RunRecord.Host"/>), <see cref="RunStatus.Interrupted"/> at
    /// once when that process is gone — its pid no longer runs, or runs another process (another start time) — so a
    /// killed runner does not read as running for the heartbeat timeout (issue 18). A process that lives but stopped
    /// heartbeating still turns interrupted after the timeout, as its recording may have stopped.
    /// </summary>
    public static RunStatus ReportedStatus(RunRecord run, DateTimeOffset now, TimeSpan heartbeatTimeout)
    {
        ArgumentNullException.ThrowIfNull(run);
        var status = ReportedStatus(run.Status, run.HeartbeatAt, now, heartbeatTimeout);
        return status == RunStatus.Running && RunnerProcess.IsAlive(run) == false ? RunStatus.Interrupted : status;
    }

    private static StepResult ToResult(RunRecord run, StepRecord step)
    {
        // A step skipped because its run stopped is recorded as cancelled with no attempt; it reads as it did live.
        var status = step.Status == StepStatus.Cancelled && step.Attempts == 0 ? StepStatus.Skipped : step.Status;
        if (run.Status == RunStatus.Interrupted && status == StepStatus.Running)
        {
            status = StepStatus.Cancelled;
        }

        var result = StepMapping.ToResult(StepMapping.ToSnapshot(step) with { Status = status });

        // The recorded named outputs stay (StepMapping.ToResult), so `flowline show --json` lists them as the live report did.
        return status == StepStatus.Cancelled && step.Error is null ? result with { Error = InterruptedStep } : result;
    }

    // Peak concurrency from the recorded intervals; an end sorts before a start at the same instant.
    private static int PeakConcurrency(List<(DateTimeOffset Time, int Delta)> events)
    {
        var running = 0;
        var peak = 0;
        foreach (var (_, delta) in events.OrderBy(e => e.Time).ThenBy(e => e.Delta))
        {
            running += delta;
            peak = Math.Max(peak, running);
        }

        return peak;
    }

    // The same spelling as `flowline runs` (UTC, to the second), since the message is printed next to its lines.
    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
