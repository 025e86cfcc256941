using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary>
/// <c>cancel_run</c>: cancels a run this server started. The runner cancels its running steps (each step's process
/// group gets SIGTERM, then SIGKILL after the grace period) and skips the rest; the call returns once it has ended.
/// </summary>
internal sealed class CancelRunTool(McpWorkspace workspace, GetRunTool getRun) : FlowlineTool(
    "cancel_run",
    "Stop a Flowline run that run_workflow started in this server: running steps and every process they started are stopped, pending steps "
    + "are skipped, and the run ends 'cancelled'. Returns the run as get_run does once it has stopped.",
    """
    {
      "type": "object",
      "properties": {
        "runId": { "type": "string", "description": "The run's id, or a unique prefix of it." }
      },
      "required": ["runId"],
      "additionalProperties": false
    }
    """,
    readOnly: false)
{
    protected override async Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var run = await McpRunLookup.FindAsync(workspace, Name, arguments.RequiredString("runId"), cancellationToken);
        if (workspace.Runs.Find(run.Id) is not { } active)
        {
            throw new ToolError(
                $"{Name}: run {run.Id} is not running in this server (it is {Commands.RunText.Status(run.Status)}); only runs started by run_workflow here "
                + "can be cancelled. A `flowline run` in a terminal stops with Ctrl+C.");
        }

        await active.CancelAsync();
        await active.Completion.WaitAsync(cancellationToken);
        return await getRun.DescribeAsync(run.Id, cancellationToken);
    }
}
