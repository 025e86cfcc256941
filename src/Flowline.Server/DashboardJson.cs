using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flowline.State;

namespace Flowline.Server;

/// <summary>
/// The JSON the API returns (docs/dashboard.md "API"): plain objects built as nodes, written without reflection, so
/// the Native AOT build serves the same bytes as the JIT build.
/// </summary>
internal static class DashboardJson
{
    public static JsonObject Errors(params IEnumerable<string> errors) =>
        new() { ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]) };

    public static async Task WriteAsync(HttpContext context, JsonNode node, int? status = null)
    {
        if (status is { } code)
        {
            context.Response.StatusCode = code;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(node.ToJsonString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    public static JsonObject Run(RunRecord run, IReadOnlyList<StepRecord>? steps, string root)
    {
        var json = new JsonObject
        {
            ["runId"] = run.Id,
            ["workflow"] = run.WorkflowName,
            ["version"] = run.WorkflowVersion,
            ["file"] = run.WorkflowPath is { } path ? Relative(root, path) : null,
            ["status"] = Status(run.Status),
            ["startedAt"] = Time(run.StartedAt),
            ["finishedAt"] = Time(run.FinishedAt),
            ["error"] = run.Error,
            ["origin"] = run.Origin,
            ["startedBy"] = run.StartedBy,
            ["resumedFrom"] = RecordedOptions.Read(run.Options).ResumedFrom,
        };
        if (steps is not null && RunHistory.Duration(run, steps) is { } duration)
        {
            json["durationMs"] = (long)duration.TotalMilliseconds;
        }

        return json;
    }

    public static JsonObject Step(StepRecord step)
    {
        var outputs = new JsonObject();
        foreach (var (key, value) in step.Outputs)
        {
            outputs[key] = value;
        }

        return new JsonObject
        {
            ["id"] = step.StepId,
            ["status"] = step.Status.ToString().ToLowerInvariant(),
            ["attempts"] = step.Attempts,
            ["exitCode"] = step.ExitCode,
            ["startedAt"] = Time(step.StartedAt),
            ["finishedAt"] = Time(step.FinishedAt),
            ["durationMs"] = step is { StartedAt: { } start, FinishedAt: { } end } ? (long)(end - start).TotalMilliseconds : null,
            ["level"] = step.ParallelGroup,
            ["error"] = step.Error,
            ["outputs"] = outputs,
            ["output"] = step.Output is { } output ? JsonNode.Parse(output.GetRawText()) : null,
        };
    }

    public static string Status(RunStatus status) => status.ToString().ToLowerInvariant();

    public static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A file as the page shows it and sends it back: relative to the root with '/', or as recorded when outside it.</summary>
    public static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string text => text,
        bool flag => flag,
        int number => number,
        long number => number,
        double number => number,
        decimal number => number,
        IReadOnlyList<object?> list => new JsonArray([.. list.Select(Value)]),
        _ => value.ToString(),
    };
}
