using System.Text.Json.Nodes;
using Flowline.State;

namespace Flowline.Server.Api;

/// <summary>
/// <c>GET /api/runs/{id}/events</c>: a run's live changes as server-sent events. The server follows the store (the
/// run's process may be another <c>flowline run</c>) and sends <c>step</c> for each step row that changed,
/// <c>run</c> when the run's own row changed, and <c>end</c> once the run is no longer running, then closes.
/// </summary>
internal sealed class RunEvents(DashboardOptions options, RunsApi runs)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var runId = (string)context.Request.RouteValues["runId"]!;
        if (await runs.FindAsync(runId, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status404NotFound, $"no run '{runId}'; GET /api/runs lists the runs.").ConfigureAwait(false);
            return;
        }

        var events = await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        string? sentRun = null;
        try
        {
            while (true)
            {
                var run = await options.Store.GetRunAsync(found.Id, cancellationToken).ConfigureAwait(false) ?? found;
                var steps = await options.Store.GetStepsAsync(found.Id, cancellationToken).ConfigureAwait(false);
                foreach (var step in steps)
                {
                    var json = DashboardJson.Step(step);
                    var text = json.ToJsonString();
                    if (!sent.TryGetValue(step.StepId, out var before) || before != text)
                    {
                        sent[step.StepId] = text;
                        await events.SendAsync("step", json, cancellationToken).ConfigureAwait(false);
                    }
                }

                var runJson = DashboardJson.Run(run, steps, options.Root);
                var runText = runJson.ToJsonString();
                if (runText != sentRun && (sentRun is null || run.Status != RunStatus.Running || !SameButDuration(runText, sentRun)))
                {
                    sentRun = runText;
                    await events.SendAsync("run", runJson, cancellationToken).ConfigureAwait(false);
                }

                if (run.Status != RunStatus.Running)
                {
                    await events.SendAsync("end", new JsonObject { ["status"] = DashboardJson.Status(run.Status) }, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await Task.Delay(options.PollInterval, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    // A running run's duration grows with every finished step; only a change of anything else is worth an event.
    private static bool SameButDuration(string now, string before) =>
        Strip(now) == Strip(before);

    private static string Strip(string json) => JsonNode.Parse(json) is JsonObject o && o.Remove("durationMs") ? o.ToJsonString() : json;
}
