using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flowline.Cli.Commands;
using Flowline.State;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary>
/// <c>run_workflow</c>: starts an ordinary recorded run, the way <c>flowline run</c> does (the file validated by
/// <see cref="WorkflowFiles"/>, the run recorded through <see cref="RunRecording"/>, its reports written by
/// <see cref="RunReports"/>), in this process, and returns its id at once. With <c>wait</c> the call stays open
/// until the run ends, sending a progress notification per step started and finished.
/// </summary>
internal sealed class RunWorkflowTool(McpWorkspace workspace, GetRunTool getRun) : FlowlineTool(
    "run_workflow",
    "Start a run of a Flowline workflow file and return its runId at once; the run goes on in the background and is recorded like a "
    + "`flowline run`. Poll get_run with the runId for its status and step results, get_step_log for a step's output, cancel_run to stop it. "
    + "Set wait=true to keep the call open until the run ends (progress notifications report each step) and get the final result directly. "
    + "A file that does not validate is not run: the result lists its diagnostics.",
    """
    {
      "type": "object",
      "properties": {
        "file": { "type": "string", "description": "The workflow file, relative to the root (as list_workflows returns it)." },
        "variables": {
          "type": "object",
          "description": "Run variables, readable by the workflow as variables.NAME: strings, numbers, booleans, lists or objects.",
          "additionalProperties": true
        },
        "wait": { "type": "boolean", "description": "Wait for the run to end and return its result (default false: return the runId at once)." }
      },
      "required": ["file"],
      "additionalProperties": false
    }
    """,
    readOnly: false)
{
    protected override async Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var given = arguments.RequiredString("file");
        var file = workspace.Resolve(Name, given);
        if (!File.Exists(file))
        {
            throw new ToolError($"{Name}: '{given}' does not exist under the root; call list_workflows to see the workflow files.");
        }

        var variables = StateValues.FromElements(arguments.OptionalObject("variables"));
        var wait = arguments.OptionalBool("wait");

        var runner = new WorkflowRunner();
        var validation = runner.ValidateFile(file);
        if (WorkflowFiles.Failed(validation))
        {
            throw new ToolError(
                $"{Name}: '{given}' did not validate, so nothing ran. Fix these and call again:\n"
                + string.Join("\n", validation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString())));
        }

        var definition = validation.Definition!;
        var runId = RunRecord.NewId();
        var options = RunRecording.Recorded(
            workspace.Store,
            new ExecutionOptions { Variables = variables, Origin = Commands.RunOrigins.Mcp },
            workspace.Console,
            runId);
        var progress = wait && request.Params?.ProgressToken is { } token ? Progress(request.Server, token, definition.Steps.Count, runner) : default;

        var run = workspace.Runs.Start(runner, validation.Plan!, options, workspace.Console);

        if (!wait)
        {
            // The run row is written before the first step starts; wait for it so that get_run finds the run at once.
            await BackgroundRuns.WaitForRowAsync(workspace.Store, run, cancellationToken);
            return new JsonObject
            {
                ["runId"] = runId,
                ["workflow"] = definition.Name,
                ["file"] = workspace.Relative(file),
                ["status"] = "running",
            };
        }

        await run.Completion.WaitAsync(cancellationToken);
        if (progress.Pump is not null)
        {
            progress.Events.TryComplete();
            await progress.Pump;
        }

        return await getRun.DescribeAsync(runId, cancellationToken);
    }

    // Steps start and finish on the scheduler's thread; a channel keeps their notifications in order without blocking it.
    private static (Task Pump, ChannelWriter<string> Events) Progress(McpServer server, ProgressToken token, int total, WorkflowRunner runner)
    {
        var events = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var finished = 0;
        runner.StepStarted += (_, e) => events.Writer.TryWrite($"step {e.StepId} started");
        runner.StepFinished += (_, e) =>
        {
            Interlocked.Increment(ref finished);
            events.Writer.TryWrite($"step {e.StepId} {e.Result.Status.ToString().ToLowerInvariant()}");
        };
        var pump = Task.Run(async () =>
        {
            await foreach (var message in events.Reader.ReadAllAsync())
            {
                await server.NotifyProgressAsync(
                    token,
                    new ProgressNotificationValue { Progress = Volatile.Read(ref finished), Total = total, Message = message },
                    cancellationToken: CancellationToken.None);
            }
        });
        return (pump, events.Writer);
    }
}
