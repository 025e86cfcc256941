using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary><c>list_workflows</c>: the workflow files under the root, each with its name, version and description.</summary>
internal sealed class ListWorkflowsTool(McpWorkspace workspace) : FlowlineTool(
    "list_workflows",
    "List the Flowline workflow files (YAML) under the server's root folder, with each workflow's name, version, description and the variables "
    + "its steps read (variables.NAME). Call this first to find which workflow to validate or run; pass the 'file' it returns to the other tools.",
    """
    {
      "type": "object",
      "properties": {
        "folder": { "type": "string", "description": "Only list files under this folder, relative to the root. Default: the whole root." }
      },
      "additionalProperties": false
    }
    """,
    readOnly: true)
{
    private const int MaxFiles = 500;
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", ".flowline", "node_modules", "bin", "obj" };

    protected override Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var folder = workspace.Resolve(Name, arguments.OptionalString("folder"));
        if (!Directory.Exists(folder))
        {
            throw new ToolError($"{Name}: '{arguments.OptionalString("folder")}' is not a folder under the root; call list_workflows without 'folder' to list the whole root.");
        }

        var workflows = new JsonArray();
        foreach (var file in Files(folder).Take(MaxFiles))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var load = WorkflowLoader.LoadFile(file);
            if (load.Definition is not { } definition)
            {
                continue; // Not a workflow (a config file, an agents file): nothing to run.
            }

            workflows.Add((JsonNode)new JsonObject
            {
                ["file"] = workspace.Relative(file),
                ["name"] = definition.Name,
                ["version"] = definition.Version,
                ["description"] = definition.Description,
                ["variables"] = new JsonArray([.. WorkflowVariables.Read(file).Select(v => (JsonNode)v)]),
                ["steps"] = definition.Steps.Count,
                ["valid"] = !load.Diagnostics.Any(d => d.IsError),
            });
        }

        return Task.FromResult(new JsonObject { ["root"] = workspace.Root, ["workflows"] = workflows });
    }

    private static IEnumerable<string> Files(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
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
