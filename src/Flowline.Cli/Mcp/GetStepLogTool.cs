using System.Text.Json.Nodes;
using Flowline.State;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary><c>get_step_log</c>: the tail of one step's recorded output (<c>.flowline/runs/RUN_ID/STEP.log</c>), as <c>flowline logs</c> reads it.</summary>
internal sealed class GetStepLogTool(McpWorkspace workspace) : FlowlineTool(
    "get_step_log",
    "Read a step's output (stdout, stderr and Flowline's own notes, in order) from a recorded Flowline run. Returns the last 'lines' lines "
    + "(default 100) and whether earlier lines were left out; a running step's log grows, so call again for more.",
    """
    {
      "type": "object",
      "properties": {
        "runId": { "type": "string", "description": "The run's id, or a unique prefix of it." },
        "step": { "type": "string", "description": "The step's id, as get_run lists it." },
        "lines": { "type": "integer", "minimum": 1, "maximum": 10000, "description": "How many of the last lines to return (default 100)." }
      },
      "required": ["runId", "step"],
      "additionalProperties": false
    }
    """,
    readOnly: true)
{
    protected override async Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var run = await McpRunLookup.FindAsync(workspace, Name, arguments.RequiredString("runId"), cancellationToken);
        var step = arguments.RequiredString("step");
        var wanted = arguments.OptionalInt("lines", 100, 1, 10_000);
        var steps = await workspace.Store.GetStepsAsync(run.Id, cancellationToken);
        if (steps.All(s => s.StepId != step) && !RecordedOptions.Read(run.Options).DependsOn.ContainsKey(step))
        {
            throw new ToolError($"{Name}: run {run.Id} has no step '{step}'; its steps: {string.Join(", ", steps.Select(s => s.StepId))}.");
        }

        var tail = new Queue<JsonNode>(wanted);
        var total = 0;
        var path = Path.Combine(workspace.Store.Directory.RunLogDirectory(run.Id), step + ".log");
        await foreach (var line in RunLogReader.ReadAsync(path, cancellationToken: cancellationToken))
        {
            total++;
            if (tail.Count == wanted)
            {
                tail.Dequeue();
            }

            tail.Enqueue(new JsonObject { ["stream"] = line.Stream.ToString().ToLowerInvariant(), ["text"] = line.Text });
        }

        return new JsonObject
        {
            ["runId"] = run.Id,
            ["step"] = step,
            ["totalLines"] = total,
            ["truncated"] = total > tail.Count,
            ["lines"] = new JsonArray([.. tail]),
        };
    }
}
