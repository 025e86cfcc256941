namespace Flowline.Agents;

/// <summary>One agent step, resolved and rendered, as a provider receives it.</summary>
internal sealed record AgentRequest
{
    public required string StepId { get; init; }

    /// <summary>The agent the step runs as.</summary>
    public required AgentDefinition Agent { get; init; }

    /// <summary>The step's agent name when it runs as <c>default</c>; otherwise null.</summary>
    public string? Role { get; init; }

    /// <summary>The rendered prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The rendered system prompt (with the role line), or null.</summary>
    public string? System { get; init; }

    /// <summary>The agent's default parameters overridden by the step's, string values rendered.</summary>
    public required IReadOnlyDictionary<string, object?> Parameters { get; init; }

    /// <summary>The scope for templates a provider renders itself (command arguments).</summary>
    public required AgentScope Scope { get; init; }

    public required StepExecutionContext Context { get; init; }

    public required AgentLog Log { get; init; }

    public required SecretRedactor Redactor { get; init; }

    /// <summary>The agent's name as the step wrote it (the role when it runs as <c>default</c>).</summary>
    public string RequestedName => Role ?? Agent.Name;

    /// <summary>Whether the parameters ask for a JSON response.</summary>
    public bool WantsJson => ChatParameters.WantsJson(Parameters);
}

/// <summary>Runs an agent request for one provider kind.</summary>
internal interface IAgentProvider
{
    /// <summary>"openai at https://…", "command gemini", "echo": for logs and the step result.</summary>
    public string Description { get; }

    public Task<StepExecutionResult> RunAsync(AgentRequest request, CancellationToken cancellationToken);
}
