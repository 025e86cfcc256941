namespace Flowline;

/// <summary>A snapshot of a run, live while it runs (spec "Real-time Monitoring").</summary>
public sealed record ExecutionReport
{
    /// <summary>The run's status.</summary>
    public required WorkflowStatus Status { get; init; }

    /// <summary>Percentage of steps that have finished, 0–100.</summary>
    public required int Progress { get; init; }

    /// <summary>Number of steps in the workflow.</summary>
    public required int TotalSteps { get; init; }

    /// <summary>Steps that finished with <see cref="StepStatus.Completed"/>.</summary>
    public required int CompletedSteps { get; init; }

    /// <summary>Steps in any final status (completed, failed, skipped, cancelled).</summary>
    public required int FinishedSteps { get; init; }

    /// <summary>Ids of the steps running now, in file order.</summary>
    public required IReadOnlyList<string> RunningSteps { get; init; }

    /// <summary>Status of every step, in file order.</summary>
    public required IReadOnlyDictionary<string, StepStatus> Steps { get; init; }
}
