namespace Flowline.Agents;

/// <summary>
/// One entry of the merged <c>agents:</c> map: a provider, its settings, an optional system prompt, default
/// parameters and tools. <see cref="Settings"/> keeps the whole entry as plain values.
/// </summary>
internal sealed record AgentDefinition
{
    /// <summary>The agent's name, the key in <c>agents:</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The provider: <c>openai</c>, <c>command</c>, <c>echo</c> or a registered chat client's name; null when unset.</summary>
    public string? Provider { get; init; }

    /// <summary>The whole entry as plain values.</summary>
    public required IReadOnlyDictionary<string, object?> Settings { get; init; }

    /// <summary>Where the entry was written.</summary>
    public required AgentOrigin Origin { get; init; }

    /// <summary>The system prompt template, if any.</summary>
    public string? System => Settings.GetValueOrDefault("system") as string;

    /// <summary>Default parameters, overridden key by key by the step's.</summary>
    public IReadOnlyDictionary<string, object?> Parameters =>
        Settings.GetValueOrDefault("parameters") as IReadOnlyDictionary<string, object?> ?? EmptyMap<object?>.Instance;

    /// <summary>The opt-in tool names.</summary>
    public IReadOnlyList<string> Tools =>
        Settings.GetValueOrDefault("tools") is IReadOnlyList<object?> list ? [.. list.OfType<string>()] : [];

    /// <summary>A string setting, or null.</summary>
    public string? GetString(string key) => Settings.GetValueOrDefault(key) as string;
}

/// <summary>Where an agent entry came from: a file (or the workflow) and a way to locate its keys.</summary>
/// <param name="Description">The file path, or "built-in".</param>
/// <param name="Locate">Finds the location of a JSON pointer relative to the entry (<c>/provider</c>, <c>/apiKey#key</c>).</param>
internal sealed record AgentOrigin(string Description, Func<string, SourceLocation?> Locate)
{
    public static AgentOrigin BuiltIn { get; } = new("built-in", _ => null);
}
