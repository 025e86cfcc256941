using Flowline.Loading;

namespace Flowline.Agents;

/// <summary>
/// Reads a <c>flowline.agents.yaml</c> file: either an <c>agents:</c> map at the top, or the map itself. It goes
/// through the workflow loader's pipeline (<see cref="YamlTreeReader"/>, <see cref="YamlPlain"/>), so values are typed
/// the same way and every malformed file (a syntax error, a tab, a duplicate key) is a diagnostic at its line and
/// column (issue 11: this file had its own reader, which let some malformed files crash <c>flowline validate</c>).
/// Never throws.
/// </summary>
internal static class AgentsFile
{
    private const int MaxDepth = 64;

    public static IReadOnlyDictionary<string, AgentDefinition> Read(string path, List<Diagnostic> diagnostics)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(AgentCodes.InvalidAgentsFile, DiagnosticSeverity.Error,
                $"cannot read the agents file {path}: {ex.Message}", new SourceLocation(path, 1, 1)));
            return EmptyMap<AgentDefinition>.Instance;
        }

        var found = new List<Diagnostic>();
        if (SourceText.Decode(bytes, path, found) is { } text)
        {
            return Parse(text, path, diagnostics);
        }

        // Like its YAML problems, an agents file's encoding problem is reported under the agents file's code.
        diagnostics.AddRange(found.Select(d => d with { Code = AgentCodes.InvalidAgentsFile }));
        return EmptyMap<AgentDefinition>.Instance;
    }

    public static IReadOnlyDictionary<string, AgentDefinition> Parse(string text, string path, List<Diagnostic> diagnostics)
    {
        if (ReadTree(text, path, diagnostics, out var hasAliases) is not { } root)
        {
            return EmptyMap<AgentDefinition>.Instance;
        }

        if (root is YamlMapping { Entries: [{ Key.Value: "agents" } only] })
        {
            root = only.Value;
        }

        if (root is not YamlMapping map)
        {
            diagnostics.Add(new Diagnostic(AgentCodes.InvalidAgentsFile, DiagnosticSeverity.Error,
                "the agents file must hold a map of agent name to settings, e.g. \"agents:\\n  reviewer:\\n    provider: openai\"",
                Locate(path, root)));
            return EmptyMap<AgentDefinition>.Instance;
        }

        var cache = hasAliases ? YamlPlain.NewCache() : null;
        void TooDeep(YamlNode node) => diagnostics.Add(new Diagnostic(AgentCodes.InvalidSetting, DiagnosticSeverity.Error,
            $"agent settings nest more than {MaxDepth} levels deep here; flatten them", Locate(path, node)));
        var agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var name = key.Value;
            if (value is not YamlMapping entry || YamlPlain.Convert(entry, MaxDepth, cache, TooDeep) is not IReadOnlyDictionary<string, object?> settings)
            {
                diagnostics.Add(new Diagnostic(AgentCodes.InvalidSetting, DiagnosticSeverity.Error,
                    $"agent '{name}' must be a map of settings (provider, model, …)", Locate(path, value)));
                continue;
            }

            agents[name] = new AgentDefinition
            {
                Name = name,
                Provider = settings.GetValueOrDefault("provider") as string,
                Settings = settings,
                Origin = new AgentOrigin(path, suffix => Locate(path, YamlPointer.Resolve(entry, suffix, nearest: true)!)),
            };
        }

        return agents;
    }

    /// <summary>The first document of <paramref name="text"/> as plain values (throws on invalid YAML; for tests and tools).</summary>
    internal static object? ParsePlain(string text)
    {
        var diagnostics = new List<Diagnostic>();
        var root = ReadTree(text, "", diagnostics, out _);
        return diagnostics.Count > 0 || root is null
            ? throw new InvalidDataException(string.Join("\n", diagnostics))
            : YamlPlain.Convert(root, MaxDepth, YamlPlain.NewCache(), static _ => { });
    }

    /// <summary>
    /// The loader's tree of the file, its problems reported under the agents file's code; null when the file is empty
    /// (no agents, not an error) or cannot be used.
    /// </summary>
    private static YamlNode? ReadTree(string text, string path, List<Diagnostic> diagnostics, out bool hasAliases)
    {
        var found = new List<Diagnostic>();
        var root = YamlTreeReader.Read(text, path, found, out hasAliases);
        var failed = false;
        foreach (var diagnostic in found)
        {
            if (diagnostic.Code == DiagnosticCodes.EmptyDocument)
            {
                continue;
            }

            failed |= diagnostic.IsError;
            diagnostics.Add(diagnostic with
            {
                Code = AgentCodes.InvalidAgentsFile,
                Message = diagnostic.Code == DiagnosticCodes.MultipleDocuments
                    ? "The agents file holds more than one YAML document (a second '---' starts here); it holds exactly one. Remove the '---' separator."
                    : diagnostic.Message,
            });
        }

        return failed ? null : root;
    }

    private static SourceLocation Locate(string path, YamlNode node) => new(path, node.Line, node.Column);
}
