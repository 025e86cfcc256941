using System.Text.Json.Nodes;
using Flowline.Cli.Commands;
using Flowline.State;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary><c>get_run</c>: a recorded run's status, per-step results and the summary <c>flowline show</c> prints.</summary>
internal sealed class GetRunTool(McpWorkspace workspace) : FlowlineTool(
    "get_run",
    "Get a Flowline run's status (running, completed, failed, cancelled, interrupted), each step's status, attempts, exit code, duration, "
    + "error and named outputs, and the human summary. Works for runs started by run_workflow and by `flowline run` in the same state folder.",
    """
    {
      "type": "object",
      "properties": {
        "runId": { "type": "string", "description": "The run's id (from run_workflow or list_runs), or a unique prefix of it." }
      },
      "required": ["runId"],
      "additionalProperties": false
    }
    """,
    readOnly: true)
{
    protected override Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
        DescribeAsync(arguments.RequiredString("runId"), cancellationToken);

    public async Task<JsonObject> DescribeAsync(string idOrPrefix, CancellationToken cancellationToken)
    {
        var run = await McpRunLookup.FindAsync(workspace, Name, idOrPrefix, cancellationToken);
        var steps = await workspace.Store.GetStepsAsync(run.Id, cancellationToken);
        var json = McpJson.Run(run, steps);
        json["steps"] = McpJson.Steps(steps);
        json["summary"] = new WorkflowRunner().GenerateSummaryReport(RunHistory.ToDefinition(run, steps), RunHistory.ToResult(run, steps));
        return json;
    }
}
