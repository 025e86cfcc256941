using System.Text.Json;

namespace Flowline.State;

/// <summary>One step inside a <see cref="WorkflowSnapshot"/>.</summary>
public sealed record StepSnapshot
{
    /// <summary>The step's <c>id</c>.</summary>
    public required string StepId { get; init; }

    /// <summary>The step's status.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>Attempts started.</summary>
    public int Attempts { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the step reached its final status.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The step's output.</summary>
    public JsonElement? Output { get; init; }

    /// <summary>Why the step failed.</summary>
    public string? Error { get; init; }

    /// <summary>The step's dependency level (<see cref="StepResult.ParallelGroup"/>); null when not recorded.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ParallelGroupJsonConverter))]
    public int? ParallelGroup { get; init; }

    /// <summary>Exit code of a process step.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The step's named outputs (<c>FLOWLINE_OUTPUT</c>).</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = EmptyMap<string>.Instance;

    /// <summary>For a step with <c>cache:</c> (issue 14): its key, what it was made of and why it ran or not; null otherwise.</summary>
    public StepCacheInfo? Cache { get; init; }
}
