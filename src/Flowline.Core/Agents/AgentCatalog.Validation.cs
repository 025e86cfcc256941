using System.Globalization;
using Flowline.Agents.Tools;
using Flowline.Expressions;
using Flowline.Loading;

namespace Flowline.Agents;

internal sealed partial class AgentCatalog
{
    public static readonly IReadOnlyList<string> BuiltInProviders = ["openai", "command", "echo"];

    private static readonly string[] CommonSettings = ["provider", "system", "parameters", "description"];
    private static readonly string[] OpenAISettings = ["model", "baseUrl", "apiKeyEnv", "tools"];
    private static readonly string[] CommandSettings = ["command", "args"];
    private static readonly string[] RegisteredSettings = ["model", "tools"];

    // Keys that would hold a secret in the file itself; compared without case, '-' and '_'.
    private static readonly HashSet<string> SecretKeys =
        new(["apikey", "key", "token", "accesstoken", "secret", "password", "authorization", "bearer"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Checks every agent step of <paramref name="workflow"/> against this catalog: FL4001/FL4002 for agent names
    /// that are not defined. (Parameters are checked per step by <see cref="AgentStepExecutor.Validate(WorkflowStep)"/>.)
    /// </summary>
    public IEnumerable<Diagnostic> ValidateSteps(WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        foreach (var step in workflow.Steps)
        {
            // An empty name is already FL1101 (required field missing).
            if (step.Config is not AgentStepConfig config || string.IsNullOrEmpty(config.Agent))
            {
                continue;
            }

            var location = step.SourcePath is null ? null : workflow.Source?.Locate(step.SourcePath + "/config/agent");
            var resolution = Resolve(config.Agent);
            if (resolution is null)
            {
                yield return new Diagnostic(AgentCodes.UndefinedAgent, DiagnosticSeverity.Warning,
                    $"agent '{config.Agent}' is not defined, so step '{step.Id}' will fail when it runs. Defined agents: " +
                    $"{string.Join(", ", DefinedNames)}. Add it under agents: (or in {AgentCatalogOptions.FileName}), or define a 'default' agent.",
                    location, step.Id);
            }
            else if (resolution.Role is not null)
            {
                yield return new Diagnostic(AgentCodes.RoutedToDefault, DiagnosticSeverity.Warning,
                    $"agent '{config.Agent}' is not defined; step '{step.Id}' will run as the 'default' agent with the role '{config.Agent}'. " +
                    $"Defined agents: {string.Join(", ", DefinedNames)}.",
                    location, step.Id);
            }
        }
    }

    private static void Validate(AgentDefinition agent, IReadOnlySet<string> registered, List<Diagnostic> diagnostics)
    {
        void Report(string code, string message, string pointer, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
            diagnostics.Add(new Diagnostic(code, severity, message, agent.Origin.Locate(pointer)));

        var name = agent.Name;
        foreach (var key in agent.Settings.Keys)
        {
            if (IsSecretKey(key))
            {
                // Never quote the value: it is the secret.
                Report(AgentCodes.LiteralSecret,
                    $"agent '{name}' has '{key}' written in {agent.Origin.Description}; a key in a file leaks through version control and logs. " +
                    "Remove it, put the key in an environment variable and write 'apiKeyEnv: OPENAI_API_KEY' (the variable's name)",
                    "/" + YamlPointer.Escape(key) + "#key");
            }
        }

        var provider = agent.Provider;
        var isRegistered = registered.Contains(name) || (provider is not null && registered.Contains(provider));
        if (provider is null && !isRegistered)
        {
            Report(AgentCodes.UnknownProvider,
                $"agent '{name}' has no provider: write 'provider: openai', 'provider: command' or 'provider: echo' (or register a chat client named '{name}')",
                agent.Settings.ContainsKey("provider") ? "/provider" : "");
            return;
        }

        if (!isRegistered && !BuiltInProviders.Contains(provider))
        {
            var known = BuiltInProviders.Concat(registered).ToList();
            var hint = Suggestions.Closest(provider!, known) is { } s ? $" (did you mean '{s}'?)" : "";
            Report(AgentCodes.UnknownProvider,
                $"agent '{name}' has the unknown provider '{provider}'{hint}; known providers: {string.Join(", ", known)}, " +
                "or the name of a chat client registered with RegisterChatClient",
                "/provider");
            return;
        }

        CheckType<string>(agent, "system", "text", Report);
        CheckType<IReadOnlyDictionary<string, object?>>(agent, "parameters", "a map of parameter name to value", Report);
        if (ChatParameters.Check(agent.Parameters) is { } parameterError)
        {
            Report(AgentCodes.InvalidParameter, $"agent '{name}': {parameterError}", "/parameters");
        }

        var kind = isRegistered ? "registered" : provider!;
        var providerSettings = kind switch
        {
            "openai" => OpenAISettings,
            "command" => CommandSettings,
            "registered" => RegisteredSettings,
            _ => [],
        };
        foreach (var key in agent.Settings.Keys)
        {
            if (!CommonSettings.Contains(key) && !providerSettings.Contains(key) && !IsSecretKey(key))
            {
                var all = CommonSettings.Concat(providerSettings).ToList();
                var hint = Suggestions.Closest(key, all) is { } s ? $"did you mean '{s}'? " : "";
                Report(key == "tools" ? AgentCodes.UnknownTool : AgentCodes.UnknownSetting,
                    key == "tools"
                        ? $"agent '{name}': tools work only with chat providers (openai or a registered chat client), not '{kind}'"
                        : $"agent '{name}' ({kind}) has the unknown setting '{key}'; {hint}settings for {kind}: {string.Join(", ", all)}",
                    "/" + YamlPointer.Escape(key) + "#key",
                    key == "tools" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning);
            }
        }

        if (providerSettings.Contains("tools"))
        {
            ValidateTools(agent, Report);
        }

        if (kind == "openai")
        {
            ValidateOpenAI(agent, Report);
        }
        else if (kind == "command")
        {
            ValidateCommand(agent, Report);
        }
    }

    private static void ValidateOpenAI(AgentDefinition agent, Action<string, string, string, DiagnosticSeverity> report)
    {
        var name = agent.Name;
        if (agent.GetString("model") is not { Length: > 0 } && agent.Parameters.GetValueOrDefault("model") is not string)
        {
            report(AgentCodes.MissingModel,
                $"agent '{name}' (openai) has no model: write e.g. 'model: gpt-4o-mini' (or 'gemini-2.5-flash', 'llama3.2' for Ollama)",
                "", DiagnosticSeverity.Error);
        }

        if (agent.Settings.TryGetValue("baseUrl", out var url)
            && !(url is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            report(AgentCodes.InvalidBaseUrl,
                $"agent '{name}': baseUrl must be an absolute http(s) URL such as https://api.openai.com/v1 or http://localhost:11434/v1",
                "/baseUrl", DiagnosticSeverity.Error);
        }

        if (agent.Settings.TryGetValue("apiKeyEnv", out var env) && !(env is string variable && IsVariableName(variable)))
        {
            // Never quote the value: a key pasted here by mistake must not reach a log.
            report(AgentCodes.LiteralSecret,
                $"agent '{name}': apiKeyEnv must be the NAME of an environment variable (letters, digits, '_'), such as OPENAI_API_KEY, not the key itself",
                "/apiKeyEnv", DiagnosticSeverity.Error);
        }
    }

    private static void ValidateCommand(AgentDefinition agent, Action<string, string, string, DiagnosticSeverity> report)
    {
        var name = agent.Name;
        if (agent.GetString("command") is not { Length: > 0 })
        {
            report(AgentCodes.InvalidCommand,
                $"agent '{name}' (command) needs 'command:', the program to run, e.g. 'command: gemini' with 'args: [\"-p\", \"{{{{ prompt }}}}\"]'",
                agent.Settings.ContainsKey("command") ? "/command" : "", DiagnosticSeverity.Error);
        }

        if (agent.Settings.TryGetValue("args", out var args)
            && !(args is IReadOnlyList<object?> list && list.All(a => a is string or long or double or bool)))
        {
            report(AgentCodes.InvalidCommand,
                $"agent '{name}': args must be a list of strings, e.g. args: [\"-p\", \"{{{{ prompt }}}}\"]", "/args", DiagnosticSeverity.Error);
        }
    }

    private static void ValidateTools(AgentDefinition agent, Action<string, string, string, DiagnosticSeverity> report)
    {
        if (!agent.Settings.TryGetValue("tools", out var value))
        {
            return;
        }

        if (value is not IReadOnlyList<object?> tools)
        {
            report(AgentCodes.UnknownTool,
                $"agent '{agent.Name}': tools must be a list, e.g. tools: [{string.Join(", ", WorkspaceTools.Names)}]", "/tools", DiagnosticSeverity.Error);
            return;
        }

        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not string tool || !WorkspaceTools.Names.Contains(tool))
            {
                var hint = tools[i] is string t && Suggestions.Closest(t, WorkspaceTools.Names) is { } s ? $"did you mean '{s}'? " : "";
                report(AgentCodes.UnknownTool,
                    $"agent '{agent.Name}' lists the unknown tool '{tools[i]}'; {hint}the read-only tools are {string.Join(", ", WorkspaceTools.Names)}",
                    "/tools/" + i.ToString(CultureInfo.InvariantCulture), DiagnosticSeverity.Error);
            }
        }
    }

    private static void CheckType<T>(AgentDefinition agent, string key, string expected, Action<string, string, string, DiagnosticSeverity> report)
    {
        if (agent.Settings.TryGetValue(key, out var value) && value is not T)
        {
            report(AgentCodes.InvalidSetting, $"agent '{agent.Name}': '{key}' must be {expected}", "/" + key, DiagnosticSeverity.Error);
        }
    }

    private static bool IsSecretKey(string key) =>
        SecretKeys.Contains(key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));

    internal static bool IsVariableName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
