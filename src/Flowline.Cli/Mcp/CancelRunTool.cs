using System.Text.Json.Nodes;
using Flowline.Cli.Commands;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary>
/// <c>cancel_run</c>: cancels a running run, whoever started it, through the store as <c>flowline cancel</c> does
/// (<see cref="RunCancellation"/>). The runner cancels its running steps (each step's process group gets SIGTERM, then
/// SIGKILL after the grace period) and skips the rest; the call returns once it has ended.
/// </summary>
internal sealed class CancelRunTool(McpWorkspace workspace, GetRunTool getRun) : FlowlineTool(
    "cancel_run",
    "Stop a running Flowline run (one run_workflow started, or a `flowline run` elsewhere sharing the state folder): running steps and every process they started are stopped, pending steps "
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
        var outcome = await RunCancellation.CancelAsync(workspace.Store, run, RunOrigins.Requester(RunOrigins.Mcp), cancellationToken);
        switch (outcome.Result)
        {
            case CancelResult.NotRunning:
                throw new ToolError($"{Name}: {RunCancellation.NotRunningText(run.Id, outcome.Status)}");
            case CancelResult.StillStopping:
                throw new ToolError($"{Name}: {RunCancellation.StillStoppingText(run.Id)}");
        }

        if (workspace.Runs.Find(run.Id) is { } active)
        {
            await active.Completion.WaitAsync(cancellationToken);
        }

        return await getRun.DescribeAsync(run.Id, cancellationToken);
    }
}
