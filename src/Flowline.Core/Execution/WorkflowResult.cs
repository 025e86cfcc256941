namespace Flowline;

/// <summary>The outcome of a run.</summary>
public sealed record WorkflowResult
{
    /// <summary>True exactly when <see cref="Status"/> is <see cref="WorkflowStatus.Completed"/>.</summary>
    public bool Success => Status == WorkflowStatus.Completed;

    /// <summary>Final status: <see cref="WorkflowStatus.Completed"/>, <see cref="WorkflowStatus.Failed"/> or <see cref="WorkflowStatus.Cancelled"/>.</summary>
    public required WorkflowStatus Status { get; init; }

    /// <summary>Wall time of the run.</summary>
    public required TimeSpan ExecutionTime { get; init; }

    /// <summary>Why the run failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>One result per step of the workflow, in file order.</summary>
    public required IReadOnlyDictionary<string, StepResult> StepResults { get; init; }

    /// <summary>The definitions of the child workflows' steps in <see cref="StepResults"/>, by qualified id (issue 14), for the reports.</summary>
    internal IReadOnlyDictionary<string, WorkflowStep>? ChildSteps { get; init; }

    /// <summary>Parallelism statistics.</summary>
    public required ParallelStats ParallelStats { get; init; }
}
