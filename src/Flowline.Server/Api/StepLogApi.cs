using System.Globalization;
using System.Text.Json.Nodes;
using Flowline.State;

namespace Flowline.Server.Api;

/// <summary>
/// <c>GET /api/runs/{id}/steps/{step}/log</c>: the step's log (<c>.flowline/runs/RUN/STEP.log</c>, as
/// <c>flowline logs</c> reads it). Plain: the last <c>tail</c> lines as JSON. With <c>follow=true</c>: every line as a
/// <c>line</c> event while the file grows, then <c>end</c> once the step (or the run) has finished.
/// </summary>
internal sealed class StepLogApi(DashboardOptions options, RunsApi runs)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var runId = (string)context.Request.RouteValues["runId"]!;
        var stepId = (string)context.Request.RouteValues["stepId"]!;
        if (await runs.FindAsync(runId, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status404NotFound, $"no run '{runId}'; GET /api/runs lists the runs.").ConfigureAwait(false);
            return;
        }

        var steps = await options.Store.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false);
        if (steps.All(s => s.StepId != stepId) && !RecordedOptions.Read(run.Options).DependsOn.ContainsKey(stepId))
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status404NotFound, $"run {run.Id} has no step '{stepId}'; its steps: {string.Join(", ", steps.Select(s => s.StepId))}.").ConfigureAwait(false);
            return;
        }

        var tail = 200;
        if (context.Request.Query["tail"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out tail) || tail is < 1 or > 100_000))
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, $"'tail' must be a whole number from 1 to 100000, not '{text}'.").ConfigureAwait(false);
            return;
        }

        var path = options.Store.Directory.StepLogPath(run.Id, stepId);
        if (string.Equals(context.Request.Query["follow"], "true", StringComparison.OrdinalIgnoreCase))
        {
            await FollowAsync(context, run.Id, stepId, path).ConfigureAwait(false);
            return;
        }

        var lines = new Queue<JsonNode>(tail);
        var total = 0;
        await foreach (var line in RunLogReader.ReadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            total++;
            if (lines.Count == tail)
            {
                lines.Dequeue();
            }

            lines.Enqueue(Line(line));
        }

        await DashboardJson.WriteAsync(context, new JsonObject
        {
            ["runId"] = run.Id,
            ["step"] = stepId,
            ["totalLines"] = total,
            ["truncated"] = total > lines.Count,
            ["lines"] = new JsonArray([.. lines]),
        }).ConfigureAwait(false);
    }

    private async Task FollowAsync(HttpContext context, string runId, string stepId, string path)
    {
        var cancellationToken = context.RequestAborted;
        var events = await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        var read = new RunLogReadOptions
        {
            Follow = true,
            PollInterval = options.PollInterval,
            TimeProvider = options.TimeProvider,
            StopFollowing = async token => await FinishedAsync(runId, stepId, token).ConfigureAwait(false),
        };
        try
        {
            await foreach (var line in RunLogReader.ReadAsync(path, read, cancellationToken).ConfigureAwait(false))
            {
                await events.SendAsync("line", Line(line), cancellationToken).ConfigureAwait(false);
            }

            await events.SendAsync("end", new JsonObject { ["step"] = stepId }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private async Task<bool> FinishedAsync(string runId, string stepId, CancellationToken cancellationToken)
    {
        var run = await options.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || run.Status != RunStatus.Running)
        {
            return true;
        }

        var steps = await options.Store.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false);
        return steps.FirstOrDefault(s => s.StepId == stepId) is { Status: not (StepStatus.Pending or StepStatus.Running) };
    }

    private static JsonObject Line(RunLogLine line) => new()
    {
        ["time"] = DashboardJson.Time(line.Timestamp),
        ["stream"] = line.Stream.ToString().ToLowerInvariant(),
        ["text"] = line.Text,
    };
}
