using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flowline.Server.Api;

/// <summary>
/// <c>POST /api/runs</c> (start a file under the root with variables), <c>POST /api/runs/{id}/cancel</c> and
/// <c>POST /api/runs/{id}/resume</c>. <see cref="CrossSiteGuard"/> has let the request through before it gets here;
/// the host's <see cref="IDashboardActions"/> does the work.
/// </summary>
internal sealed class ActionsApi(IDashboardActions actions, WorkflowCatalog catalog, RunsApi runs)
{
    public async Task StartAsync(HttpContext context)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException exception)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, $"the body is not JSON ({exception.Message}); send {{\"file\": \"FILE\", \"variables\": {{...}}}}.").ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, "the body must be a JSON object: {\"file\": \"FILE\", \"variables\": {...}}.").ConfigureAwait(false);
            return;
        }

        var given = body["file"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (catalog.Resolve(given, out var error) is not { } file)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        if (body["variables"] is { } variables and not JsonObject)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status400BadRequest, "'variables' must be an object of NAME: value.").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, await actions.StartAsync(file, body["variables"] as JsonObject, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public Task CancelAsync(HttpContext context) =>
        OnRunAsync(context, (id, token) => actions.CancelAsync(id, token));

    public Task ResumeAsync(HttpContext context) =>
        OnRunAsync(context, (id, token) => actions.ResumeAsync(id, token));

    private async Task OnRunAsync(HttpContext context, Func<string, CancellationToken, Task<DashboardActionResult>> action)
    {
        var runId = (string)context.Request.RouteValues["runId"]!;
        if (await runs.FindAsync(runId, context.RequestAborted).ConfigureAwait(false) is not { } run)
        {
            await DashboardAccess.Refuse(context, StatusCodes.Status404NotFound, $"no run '{runId}'; GET /api/runs lists the runs.").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, await action(run.Id, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, DashboardActionResult result) =>
        result.Errors.Count > 0
            ? DashboardJson.WriteAsync(context, DashboardJson.Errors(result.Errors), result.StatusCode)
            : DashboardJson.WriteAsync(context, new JsonObject { ["runId"] = result.RunId }, result.StatusCode);
}
