using System.Text.Json;

namespace Flowline.State;

/// <summary>One step of a run as a store records it; <see cref="IRunWriter.StepChangedAsync"/> replaces the previous row.</summary>
public sealed record StepRecord
{
    /// <summary>The run the step belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The step's <c>id</c>.</summary>
    public required string StepId { get; init; }

    /// <summary>The step's status.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>Attempts started so far (0 while pending).</summary>
    public int Attempts { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the step reached its final status.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The step's output as JSON; null when it has none.</summary>
    public JsonElement? Output { get; init; }

    /// <summary>Why the step failed.</summary>
    public string? Error { get; init; }

    /// <summary>The step's dependency level (<see cref="StepResult.ParallelGroup"/>); null when not recorded.</summary>
    public int? ParallelGroup { get; init; }

    /// <summary>Exit code of a process step.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The step's named outputs (<c>FLOWLINE_OUTPUT</c>); empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = EmptyMap<string>.Instance;

    /// <summary>For a step with <c>cache:</c> (issue 14): its key, what it was made of and why it ran or not; null otherwise.</summary>
    public StepCacheInfo? Cache { get; init; }
}
