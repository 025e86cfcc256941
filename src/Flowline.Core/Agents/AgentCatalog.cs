using System.Text;
using Flowline.Loading;

namespace Flowline.Agents;

/// <summary>
/// The agents a workflow can use (issue 5): the built-in <c>echo</c>, then the user's agents file, then
/// <c>flowline.agents.yaml</c> next to the workflow, then the workflow's own <c>agents:</c> map — a later
/// source's entry replaces an earlier one of the same name whole. Also the names of registered chat clients,
/// which are agents without an entry. Loading never throws; problems are <see cref="Diagnostics"/>.
/// </summary>
internal sealed partial class AgentCatalog
{
    public const string DefaultAgent = "default";
    public const string EchoAgent = "echo";

    private readonly IReadOnlyDictionary<string, AgentDefinition> _agents;
    private readonly IReadOnlySet<string> _registered;
    private readonly Dictionary<string, List<Diagnostic>> _byAgent;

    private AgentCatalog(
        Dictionary<string, AgentDefinition> agents,
        IReadOnlySet<string> registered,
        List<Diagnostic> diagnostics,
        Dictionary<string, List<Diagnostic>> byAgent)
    {
        _agents = agents;
        _registered = registered;
        _byAgent = byAgent;
        Diagnostics = diagnostics;
    }

    /// <summary>Problems in the agent definitions themselves (not in the steps that use them).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Every agent name a step may use, sorted.</summary>
    public IReadOnlyList<string> DefinedNames =>
        [.. _agents.Keys.Union(_registered, StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public static AgentCatalog Load(WorkflowDefinition workflow, AgentCatalogOptions? options = null, IReadOnlySet<string>? registeredClients = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        options ??= AgentCatalogOptions.Default;
        registeredClients ??= new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<Diagnostic>();
        var agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal)
        {
            [EchoAgent] = new AgentDefinition
            {
                Name = EchoAgent,
                Provider = "echo",
                Settings = new Dictionary<string, object?>(StringComparer.Ordinal) { ["provider"] = "echo" },
                Origin = AgentOrigin.BuiltIn,
            },
        };

        var userFile = options.UseUserConfig ? options.UserConfigPath ?? AgentCatalogOptions.DefaultUserConfigPath() : null;
        var folder = options.WorkflowDirectory ?? WorkflowFolder(workflow);
        var workflowFile = folder is null ? null : Path.Combine(folder, AgentCatalogOptions.FileName);
        foreach (var file in new[] { userFile, workflowFile })
        {
            if (file is not null && File.Exists(file))
            {
                foreach (var (name, agent) in AgentsFile.Read(file, diagnostics))
                {
                    agents[name] = agent;
                }
            }
        }

        foreach (var (name, settings) in workflow.Agents)
        {
            var pointer = "/agents/" + YamlPointer.Escape(name);
            agents[name] = new AgentDefinition
            {
                Name = name,
                Provider = settings.GetValueOrDefault("provider") as string,
                Settings = settings,
                Origin = new AgentOrigin(workflow.Source?.Path ?? "the workflow", suffix => workflow.Source?.Locate(pointer + suffix)),
            };
        }

        var byAgent = new Dictionary<string, List<Diagnostic>>(StringComparer.Ordinal);
        foreach (var agent in agents.Values)
        {
            var found = new List<Diagnostic>();
            Validate(agent, registeredClients, found);
            byAgent[agent.Name] = found;
            diagnostics.AddRange(found);
        }

        return new AgentCatalog(agents, registeredClients, diagnostics, byAgent);
    }

    /// <summary>The problems found in one agent's definition.</summary>
    public IReadOnlyList<Diagnostic> DiagnosticsFor(string name) =>
        _byAgent.TryGetValue(name, out var found) ? found : [];

    /// <summary>
    /// Finds the agent a step's <c>agent:</c> name runs as: the agent of that name, a chat client registered
    /// under it, or else the <c>default</c> agent with the name as its role. Null when none of these exists.
    /// </summary>
    public AgentResolution? Resolve(string name)
    {
        if (TryGet(name, out var agent))
        {
            return new AgentResolution(agent, Role: null);
        }

        return TryGet(DefaultAgent, out var fallback) ? new AgentResolution(fallback, Role: name) : null;
    }

    private bool TryGet(string name, out AgentDefinition agent)
    {
        if (_agents.TryGetValue(name, out agent!))
        {
            return true;
        }

        if (_registered.Contains(name))
        {
            agent = new AgentDefinition
            {
                Name = name,
                Provider = name,
                Settings = EmptyMap<object?>.Instance,
                Origin = AgentOrigin.BuiltIn,
            };
            return true;
        }

        return false;
    }

    /// <summary>The run-time failure for an agent name that resolves to nothing: what to write to define it.</summary>
    public string UndefinedMessage(string name)
    {
        var sb = new StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"agent '{name}' is not defined, and there is no 'default' agent to run it. Defined agents: {string.Join(", ", DefinedNames)}. ");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"Define it in the workflow (or in {AgentCatalogOptions.FileName} next to it):\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"agents:\n  {name}:\n    provider: openai\n    model: gpt-4o-mini\n    apiKeyEnv: OPENAI_API_KEY\n");
        sb.Append("or add a 'default' agent that runs every undefined name, or use 'agent: echo' for a dry run (see docs/agents.md).");
        return sb.ToString();
    }

    private static string? WorkflowFolder(WorkflowDefinition workflow)
    {
        if (workflow.Source?.Path is not { Length: > 0 } path)
        {
            return null;
        }

        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(path));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }
}

/// <summary>The agent a step runs as; <paramref name="Role"/> is the step's agent name when it ran as <c>default</c>.</summary>
internal sealed record AgentResolution(AgentDefinition Agent, string? Role);
