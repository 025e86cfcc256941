using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flowline.Agents;

/// <summary>
/// Reads a <c>flowline.agents.yaml</c> file: either an <c>agents:</c> map at the top, or the map itself.
/// Values become plain values (string, bool, long, double, null, lists, maps) like the workflow loader's, and
/// every node's position is kept by JSON pointer so diagnostics can point at the file. Never throws.
/// </summary>
internal static class AgentsFile
{
    public static IReadOnlyDictionary<string, AgentDefinition> Read(string path, List<Diagnostic> diagnostics)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(AgentCodes.InvalidAgentsFile, DiagnosticSeverity.Error,
                $"cannot read the agents file {path}: {ex.Message}", new SourceLocation(path, 1, 1)));
            return EmptyMap<AgentDefinition>.Instance;
        }

        return Parse(text, path, diagnostics);
    }

    public static IReadOnlyDictionary<string, AgentDefinition> Parse(string text, string path, List<Diagnostic> diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            diagnostics.Add(new Diagnostic(AgentCodes.InvalidAgentsFile, DiagnosticSeverity.Error,
                $"the agents file is not valid YAML: {ex.Message}",
                new SourceLocation(path, (int)ex.Start.Line, (int)ex.Start.Column)));
            return EmptyMap<AgentDefinition>.Instance;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return EmptyMap<AgentDefinition>.Instance;
        }

        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var root = stream.Documents[0].RootNode;
        var prefix = "";
        if (root is YamlMappingNode top && top.Children.Count == 1
            && top.Children.First() is { Key: YamlScalarNode { Value: "agents" }, Value: var inner })
        {
            root = inner;
            prefix = "/agents";
        }

        if (root is not YamlMappingNode map)
        {
            diagnostics.Add(new Diagnostic(AgentCodes.InvalidAgentsFile, DiagnosticSeverity.Error,
                "the agents file must hold a map of agent name to settings, e.g. \"agents:\\n  reviewer:\\n    provider: openai\"",
                Locate(path, root)));
            return EmptyMap<AgentDefinition>.Instance;
        }

        var agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var pointer = prefix + "/" + Pointer.Escape(name);
            if (ToPlain(valueNode, pointer, path, locations) is not IReadOnlyDictionary<string, object?> settings)
            {
                diagnostics.Add(new Diagnostic(AgentCodes.InvalidSetting, DiagnosticSeverity.Error,
                    $"agent '{name}' must be a map of settings (provider, model, …)", Locate(path, valueNode)));
                continue;
            }

            var entryPointer = pointer;
            agents[name] = new AgentDefinition
            {
                Name = name,
                Provider = settings.GetValueOrDefault("provider") as string,
                Settings = settings,
                Origin = new AgentOrigin(path, suffix => Lookup(locations, entryPointer + suffix)),
            };
        }

        return agents;
    }

    /// <summary>The first document of <paramref name="text"/> as plain values (throws on invalid YAML; for tests and tools).</summary>
    internal static object? ParsePlain(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return ToPlain(stream.Documents[0].RootNode, "", "", []);
    }

    private static SourceLocation? Lookup(Dictionary<string, SourceLocation> locations, string pointer)
    {
        var current = pointer;
        while (current.Length > 0)
        {
            if (locations.TryGetValue(current, out var location))
            {
                return location;
            }

            var hash = current.IndexOf('#', StringComparison.Ordinal);
            current = hash >= 0 ? current[..hash] : current[..Math.Max(0, current.LastIndexOf('/'))];
        }

        return null;
    }

    private static SourceLocation Locate(string path, YamlNode node) =>
        new(path, (int)node.Start.Line, (int)node.Start.Column);

    private static object? ToPlain(YamlNode node, string pointer, string path, Dictionary<string, SourceLocation> locations)
    {
        locations[pointer] = Locate(path, node);
        switch (node)
        {
            case YamlMappingNode map:
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "";
                    var child = pointer + "/" + Pointer.Escape(key);
                    locations[child + "#key"] = Locate(path, k);
                    dict[key] = ToPlain(v, child, path, locations);
                }

                return dict;
            case YamlSequenceNode seq:
                var list = new List<object?>(seq.Children.Count);
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    list.Add(ToPlain(seq.Children[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture), path, locations));
                }

                return list;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static object? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return value ?? "";
        }

        if (value is null or "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (value is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return value;
    }
}

/// <summary>JSON pointer segment escaping (RFC 6901).</summary>
internal static class Pointer
{
    public static string Escape(string segment) =>
        segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
