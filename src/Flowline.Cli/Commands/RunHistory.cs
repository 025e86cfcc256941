using System.Globalization;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// Rebuilds a <see cref="WorkflowResult"/> from a recorded run so <c>flowline show</c> prints it with the same
/// report generators as <c>flowline run</c> (docs/reports.md): one format, whether the run is live or past.
/// </summary>
internal static class RunHistory
{
    /// <summary>
    /// The workflow as recorded: the file when it still loads and has the same content hash (step names and
    /// order), else a stand-in listing the recorded steps.
    /// </summary>
    public static WorkflowDefinition Definition(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        if (run.WorkflowPath is { } path && File.Exists(path)
            && WorkflowLoader.LoadFile(path) is { Definition: { } loaded } load
            && !load.Diagnostics.Any(d => d.IsError)
            && loaded.Source?.ContentHash == run.ContentHash)
        {
            return loaded;
        }

        return new WorkflowDefinition
        {
            Name = run.WorkflowName,
            Version = run.WorkflowVersion,
            Steps = [.. steps.Select(step => new WorkflowStep { Id = step.StepId, Name = step.StepId, Type = "script", Config = new CustomStepConfig() })],
        };
    }

    public static WorkflowResult Result(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        var results = new Dictionary<string, StepResult>(steps.Count, StringComparer.Ordinal);
        var groups = 0;
        var events = new List<(DateTimeOffset Time, int Delta)>();
        foreach (var step in steps)
        {
            var group = step.ParallelGroup ?? 0;
            groups = Math.Max(groups, group + 1);

            // A step skipped because its run stopped is recorded as cancelled with no attempt; it reads as it did live.
            var status = step.Status == StepStatus.Cancelled && step.Attempts == 0 ? StepStatus.Skipped : step.Status;
            if (run.Status == RunStatus.Interrupted && status == StepStatus.Running)
            {
                status = StepStatus.Cancelled;
            }

            results[step.StepId] = new StepResult
            {
                Status = status,
                Output = StateValues.FromElement(step.Output),
                Error = status == StepStatus.Skipped ? null : status == StepStatus.Cancelled && step.Error is null ? "interrupted: the runner stopped while the step ran" : step.Error,
                SkipReason = status == StepStatus.Skipped ? step.Error : null,
                ExecutionTime = step is { StartedAt: { } start, FinishedAt: { } end } ? end - start : TimeSpan.Zero,
                ParallelGroup = group,
                StartTime = step.StartedAt,
                EndTime = step.FinishedAt,
                Attempts = step.Attempts,
                ExitCode = step.ExitCode,
            };

            if (step is { StartedAt: { } started, FinishedAt: { } finished, Attempts: > 0 })
            {
                events.Add((started, 1));
                events.Add((finished, -1));
            }
        }

        // Peak concurrency from the recorded intervals; an end sorts before a start at the same instant.
        var running = 0;
        var peak = 0;
        foreach (var (_, delta) in events.OrderBy(e => e.Time).ThenBy(e => e.Delta))
        {
            running += delta;
            peak = Math.Max(peak, running);
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
            ExecutionTime = RunText.Duration(run) ?? TimeSpan.Zero,
            Error = run.Status == RunStatus.Interrupted
                ? $"interrupted: the runner stopped heartbeating at {RunText.Time(run.HeartbeatAt)}; `flowline resume {run.Id}` continues it"
                : run.Error,
            StepResults = results,
            ParallelStats = new ParallelStats
            {
                TotalGroups = groups,
                MaxConcurrentSteps = peak,
                ResourceUtilization = EmptyMap<double>.Instance,
            },
        };
    }
}
