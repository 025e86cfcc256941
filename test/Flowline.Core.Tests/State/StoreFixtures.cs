using System.Text.Json;
using Flowline.State;
using Microsoft.Extensions.Time.Testing;

namespace Flowline.Core.Tests.State;

internal static class StoreFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static RunRecord Run(string id, DateTimeOffset startedAt, string workflow = "build") => new()
    {
        Id = id,
        WorkflowName = workflow,
        WorkflowVersion = "1.2.0",
        WorkflowPath = "/repo/flows/build.yaml",
        ContentHash = "ab12",
        Variables = new Dictionary<string, JsonElement>
        {
            ["branch"] = JsonSerializer.SerializeToElement("main"),
            ["retries"] = JsonSerializer.SerializeToElement(3),
            ["targets"] = JsonSerializer.SerializeToElement(new[] { "linux", "mac" }),
        },
        Options = new Dictionary<string, JsonElement> { ["maxConcurrency"] = JsonSerializer.SerializeToElement(4) },
        StartedAt = startedAt,
    };

    public static StepRecord Step(string runId, string stepId, StepStatus status = StepStatus.Completed) => new()
    {
        RunId = runId,
        StepId = stepId,
        Status = status,
        Attempts = 1,
        StartedAt = Start.AddSeconds(1),
        FinishedAt = status is StepStatus.Running ? null : Start.AddSeconds(2),
        Output = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["version"] = "1.2.3", ["count"] = 2 }),
        ParallelGroup = 2,
        ExitCode = status is StepStatus.Failed ? 2 : 0,
        Error = status is StepStatus.Failed ? "exit code 2" : null,
    };

    public static string JsonText(JsonElement? element) => element is { } value ? JsonSerializer.Serialize(value) : "null";

    public static string JsonText(IReadOnlyDictionary<string, JsonElement> map) =>
        string.Join(",", map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={JsonSerializer.Serialize(pair.Value)}"));
}
