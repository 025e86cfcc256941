using System.Text.Json.Nodes;
using Flowline.Agents.Tools;

namespace Flowline.Server.Api;

/// <summary>
/// <c>GET /api/workflows</c>: the workflow files under the root with their declared variables (<c>variables:</c>,
/// docs/variables.md), which the start form turns into fields.
/// </summary>
internal sealed class WorkflowCatalog(string root)
{
    private const int MaxFiles = 500;
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", ".flowline", "node_modules", "bin", "obj" };
    private readonly ConfinedPath _root = new(root, "the root");

    public string Root => _root.Root;

    /// <summary>The file a request names, inside the root; null with the reason otherwise.</summary>
    public string? Resolve(string? file, out string error)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            error = "give 'file', a workflow file relative to the root (as GET /api/workflows lists them).";
            return null;
        }

        if (!_root.TryResolve(file, out var resolved, out error))
        {
            error += $"; this dashboard only runs files under {Root}.";
            return null;
        }

        if (!File.Exists(resolved))
        {
            error = $"'{file}' does not exist under {Root}; GET /api/workflows lists the workflow files.";
            return null;
        }

        return resolved;
    }

    public Task HandleAsync(HttpContext context)
    {
        var workflows = new JsonArray();
        foreach (var file in Files(Root).Take(MaxFiles))
        {
            var load = WorkflowLoader.LoadFile(file);
            if (load.Definition is not { } definition)
            {
                continue; // Not a workflow (an agents file, a config file).
            }

            workflows.Add((JsonNode)new JsonObject
            {
                ["file"] = _root.Relative(file),
                ["name"] = definition.Name,
                ["description"] = definition.Description,
                ["steps"] = definition.Steps.Count,
                ["valid"] = !load.Diagnostics.Any(d => d.IsError),
                ["variables"] = Variables(definition),
            });
        }

        return DashboardJson.WriteAsync(context, new JsonObject { ["root"] = Root, ["workflows"] = workflows });
    }

    private static JsonArray Variables(WorkflowDefinition definition)
    {
        var variables = new JsonArray();
        foreach (var (name, variable) in definition.Variables)
        {
            variables.Add((JsonNode)new JsonObject
            {
                ["name"] = name,
                ["type"] = variable.Type.ToString().ToLowerInvariant(),
                ["required"] = variable.Required,
                ["description"] = variable.Description,
                ["default"] = DashboardJson.Value(variable.Default),
                ["enum"] = variable.Enum is { } options ? new JsonArray([.. options.Select(DashboardJson.Value)]) : null,
            });
        }

        return variables;
    }

    private static IEnumerable<string> Files(string folder)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(folder, "*", options).Order(StringComparer.Ordinal))
        {
            if (!SkippedFolders.Contains(Path.GetFileName(child)))
            {
                foreach (var file in Files(child))
                {
                    yield return file;
                }
            }
        }
    }
}
