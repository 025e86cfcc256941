using System.Text.Json.Nodes;
using Flowline.Cli.Commands;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary><c>validate_workflow</c>: the diagnostics of a workflow file as data, as <c>flowline validate</c> finds them.</summary>
internal sealed class ValidateWorkflowTool(McpWorkspace workspace) : FlowlineTool(
    "validate_workflow",
    "Check a Flowline workflow file without running it. Returns valid=true when it can run, and every problem found as a diagnostic with "
    + "file, line, column, code (FLxxxx, documented in docs/diagnostics.md) and a message that says how to fix it. Run it after editing a workflow.",
    """
    {
      "type": "object",
      "properties": {
        "file": { "type": "string", "description": "The workflow file, relative to the root (as list_workflows returns it)." }
      },
      "required": ["file"],
      "additionalProperties": false
    }
    """,
    readOnly: true)
{
    protected override Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var file = workspace.Resolve(Name, arguments.RequiredString("file"));
        if (!File.Exists(file))
        {
            throw new ToolError($"{Name}: '{arguments.RequiredString("file")}' does not exist under the root; call list_workflows to see the workflow files.");
        }

        var validation = new WorkflowRunner().ValidateFile(file);
        return Task.FromResult(new JsonObject
        {
            ["file"] = workspace.Relative(file),
            ["valid"] = !WorkflowFiles.Failed(validation),
            ["workflow"] = validation.Definition?.Name,
            ["diagnostics"] = McpJson.Diagnostics(validation.Diagnostics, workspace),
        });
    }
}
