using System.Text.Json.Nodes;
using Flowline.Cli.Commands;
using Flowline.State;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary><c>list_runs</c>: the recent run history, newest first, as <c>flowline runs</c> lists it.</summary>
internal sealed class ListRunsTool(McpWorkspace workspace) : FlowlineTool(
    "list_runs",
    "List recent Flowline runs, newest first: runId, workflow, status, start and end time, origin (cli run, cli resume, mcp, dashboard) and the user who started it. Filter by workflow name or status "
    + "(running, completed, failed, cancelled, interrupted). Use get_run for one run's details.",
    """
    {
      "type": "object",
      "properties": {
        "workflow": { "type": "string", "description": "Only runs of the workflow with this name." },
        "status": { "type": "string", "enum": ["running", "completed", "failed", "cancelled", "interrupted"], "description": "Only runs with this status." },
        "limit": { "type": "integer", "minimum": 1, "maximum": 1000, "description": "How many runs to return (default 20)." }
      },
      "additionalProperties": false
    }
    """,
    readOnly: true)
{
    protected override async Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        RunStatus? status = null;
        if (arguments.OptionalString("status") is { } text)
        {
            status = RunText.TryParseStatus(text, out var parsed)
                ? parsed
                : throw new ToolError($"{Name}: 'status' must be one of running, completed, failed, cancelled, interrupted, not '{text}'.");
        }

        var query = new RunQuery { Workflow = arguments.OptionalString("workflow"), Status = status, Limit = arguments.OptionalInt("limit", 20, 1, 1000) };
        var runs = new JsonArray();
        foreach (var run in await workspace.Store.ListRunsAsync(query, cancellationToken))
        {
            runs.Add((JsonNode)McpJson.Run(run));
        }

        return new JsonObject { ["runs"] = runs };
    }
}
