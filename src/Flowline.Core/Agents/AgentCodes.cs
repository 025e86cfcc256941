namespace Flowline.Agents;

/// <summary>
/// Stable diagnostic codes for agents (FL40xx, issue 5); docs/agents.md lists them with examples. The range is left to
/// this registry by <see cref="DiagnosticCodes"/>; a test checks that no code is declared twice across the registries.
/// </summary>
internal static class AgentCodes
{
    /// <summary>A step names an agent that is not defined and no <c>default</c> agent exists (warning).</summary>
    public const string UndefinedAgent = "FL4001";

    /// <summary>A step names an agent that is not defined; it will run as the <c>default</c> agent (warning).</summary>
    public const string RoutedToDefault = "FL4002";

    /// <summary>An agent has no provider, or one Flowline does not know.</summary>
    public const string UnknownProvider = "FL4003";

    /// <summary>An agent definition holds a literal secret, or <c>apiKeyEnv</c> is not a variable name.</summary>
    public const string LiteralSecret = "FL4004";

    /// <summary>An <c>openai</c> agent has no model.</summary>
    public const string MissingModel = "FL4005";

    /// <summary>An <c>openai</c> agent's <c>baseUrl</c> is not an absolute http(s) URL.</summary>
    public const string InvalidBaseUrl = "FL4006";

    /// <summary>A <c>command</c> agent has no command, or its <c>args</c> are not a list of strings.</summary>
    public const string InvalidCommand = "FL4007";

    /// <summary>An agent lists a tool that does not exist, or tools for a provider that cannot call them.</summary>
    public const string UnknownTool = "FL4008";

    /// <summary>An agent setting has the wrong type (<c>system</c> not text, <c>parameters</c> not a map…).</summary>
    public const string InvalidSetting = "FL4009";

    /// <summary>An agent setting Flowline does not know (warning).</summary>
    public const string UnknownSetting = "FL4010";

    /// <summary>An agents file cannot be read or is not valid YAML.</summary>
    public const string InvalidAgentsFile = "FL4011";

    /// <summary>A parameter that maps to a chat option has a value of the wrong type.</summary>
    public const string InvalidParameter = "FL4012";
}
