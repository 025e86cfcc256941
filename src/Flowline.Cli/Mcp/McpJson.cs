using System.Globalization;
using System.Text.Json.Nodes;
using Flowline.Cli.Commands;
using Flowline.State;

namespace Flowline.Cli.Mcp;

/// <summary>How the tools show diagnostics, runs and steps to a model: plain JSON objects with stable field names (docs/mcp.md).</summary>
internal static class McpJson
{
    public static JsonArray Diagnostics(IEnumerable<Diagnostic> diagnostics, McpWorkspace workspace)
    {
        var array = new JsonArray();
        foreach (var d in diagnostics)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["file"] = d.Location is { } at ? workspace.Relative(Path.GetFullPath(at.File)) : null,
                ["line"] = d.Location?.Line,
                ["column"] = d.Location?.Column,
                ["code"] = d.Code,
                ["severity"] = d.Severity.ToString().ToLowerInvariant(),
                ["message"] = d.Message,
                ["step"] = d.StepId,
            });
        }

        return array;
    }

    public static JsonObject Run(RunRecord run, IReadOnlyList<StepRecord>? steps = null)
    {
        var json = new JsonObject
        {
            ["runId"] = run.Id,
            ["workflow"] = run.WorkflowName,
            ["version"] = run.WorkflowVersion,
            ["status"] = RunText.Status(run.Status),
            ["startedAt"] = Time(run.StartedAt),
            ["finishedAt"] = run.FinishedAt is { } finished ? Time(finished) : null,
            ["error"] = run.Error,
            ["origin"] = run.Origin,
            ["startedBy"] = run.StartedBy,
        };
        if (steps is not null && RunHistory.Duration(run, steps) is { } duration)
        {
            json["durationMs"] = (long)duration.TotalMilliseconds;
        }

        return json;
    }

    public static JsonArray Steps(IReadOnlyList<StepRecord> steps)
    {
        var array = new JsonArray();
        foreach (var step in steps)
        {
            var outputs = new JsonObject();
            foreach (var (key, value) in step.Outputs)
            {
                outputs[key] = value;
            }

            array.Add((JsonNode)new JsonObject
            {
                ["id"] = step.StepId,
                ["status"] = step.Status.ToString().ToLowerInvariant(),
                ["attempts"] = step.Attempts,
                ["exitCode"] = step.ExitCode,
                ["durationMs"] = step is { StartedAt: { } start, FinishedAt: { } end } ? (long)(end - start).TotalMilliseconds : null,
                ["error"] = step.Error,
                ["outputs"] = outputs,
            });
        }

        return array;
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
