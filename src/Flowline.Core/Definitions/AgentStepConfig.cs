namespace Flowline;

/// <summary>Configuration of an <c>agent</c> step (spec "Agent Steps").</summary>
public sealed partial record AgentStepConfig : StepConfig
{
    /// <summary>Name of the agent to invoke.</summary>
    public required string Agent { get; init; }

    /// <summary>Prompt template.</summary>
    public string? Prompt { get; init; }

    /// <summary>Agent-specific parameters, as plain values.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = EmptyMap<object?>.Instance;

    /// <summary>Agent timeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
