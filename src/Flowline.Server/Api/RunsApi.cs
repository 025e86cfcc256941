using System.Globalization;
using System.Text.Json.Nodes;
using Flowline.State;

namespace Flowline.Server.Api;

/// <summary>
/// <c>GET /api/runs</c> (the history, newest first, filtered by workflow and status), <c>GET /api/runs/events</c>
/// (the same list pushed again each time it changes) and <c>GET /api/runs/{id}</c> (one run with its steps and
/// graph). The store is the one <c>flowline run</c> writes, so runs of other processes are listed as they start.
/// </summary>
internal sealed class RunsApi(DashboardOptions options, RunGraph graph)
{
    private readonly SqliteRunStore _store = options.Store;

    public async Task ListAsync(HttpContext context)
    {
        if (Query(context, out var error) is not { } query)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        await DashboardJson.WriteAsync(context, await ListJsonAsync(query, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task ListEventsAsync(HttpContext context)
    {
        if (Query(context, out var error) is not { } query)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.RequestAborted;
        var events = await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        string? last = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var list = await ListJsonAsync(query, cancellationToken).ConfigureAwait(false);
                var text = list.ToJsonString();
                if (text != last)
                {
                    last = text;
                    await events.SendAsync("runs", list, cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(options.PollInterval, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    public async Task GetAsync(HttpContext context)
    {
        var runId = (string)context.Request.RouteValues["runId"]!;
        if (await FindAsync(runId, context.RequestAborted).ConfigureAwait(false) is not { } run)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status404NotFound, $"no run '{runId}' in {_store.Directory.Path}; GET /api/runs lists the runs.").ConfigureAwait(false);
            return;
        }

        var steps = await _store.GetStepsAsync(run.Id, context.RequestAborted).ConfigureAwait(false);
        var json = DashboardJson.Run(run, steps, options.Root);
        json["steps"] = new JsonArray([.. steps.Select(s => (JsonNode)DashboardJson.Step(s))]);
        var (nodes, edges) = graph.Build(run, steps);
        json["graph"] = new JsonObject { ["nodes"] = nodes, ["edges"] = edges };
        var variables = new JsonObject();
        foreach (var (name, value) in run.Variables)
        {
            variables[name] = DashboardJson.Value(value);
        }

        json["variables"] = variables;
        json["summary"] = new WorkflowRunner().GenerateSummaryReport(RunHistory.ToDefinition(run, steps), RunHistory.ToResult(run, steps));
        await DashboardJson.WriteAsync(context, json).ConfigureAwait(false);
    }

    /// <summary>The run with this id, or with this unique prefix (as the CLI accepts it); null when none or several.</summary>
    public async Task<RunRecord?> FindAsync(string idOrPrefix, CancellationToken cancellationToken)
    {
        if (await _store.GetRunAsync(idOrPrefix, cancellationToken).ConfigureAwait(false) is { } exact)
        {
            return exact;
        }

        var all = await _store.ListRunsAsync(new RunQuery { Limit = 0 }, cancellationToken).ConfigureAwait(false);
        var matches = all.Where(r => r.Id.StartsWith(idOrPrefix, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private async Task<JsonObject> ListJsonAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var runs = new JsonArray();
        foreach (var run in await _store.ListRunsAsync(query, cancellationToken).ConfigureAwait(false))
        {
            var steps = await _store.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false);
            var json = DashboardJson.Run(run, steps, options.Root);
            json["steps"] = steps.Count;
            json["failedSteps"] = steps.Count(s => s.Status == StepStatus.Failed);
            runs.Add((JsonNode)json);
        }

        return new JsonObject { ["runs"] = runs };
    }

    private static RunQuery? Query(HttpContext context, out string error)
    {
        error = "";
        var request = context.Request;
        RunStatus? status = null;
        if (request.Query["status"].ToString() is { Length: > 0 } text)
        {
            if (!Enum.TryParse<RunStatus>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(text[0]))
            {
                error = $"'status' must be one of running, completed, failed, cancelled, interrupted, not '{text}'.";
                return null;
            }

            status = parsed;
        }

        var limit = 50;
        if (request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            error = $"'limit' must be a whole number from 1 to 1000, not '{limitText}'.";
            return null;
        }

        var workflow = request.Query["workflow"].ToString();
        return new RunQuery { Workflow = workflow.Length > 0 ? workflow : null, Status = status, Limit = limit };
    }
}
