using System.Text.Json;
using Flowline.State;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

public sealed class WorkflowSnapshotTests
{
    private static WorkflowSnapshot Sample() => new()
    {
        RunId = "01JDX3M5Q8ZV4K7N2B9C6F1H0T",
        WorkflowName = "build",
        WorkflowVersion = "1.2.0",
        WorkflowPath = "flows/build.yaml",
        ContentHash = "ab12",
        Variables = Run("x", Start).Variables,
        Options = new Dictionary<string, JsonElement> { ["dryRun"] = JsonSerializer.SerializeToElement(true) },
        Status = RunStatus.Interrupted,
        Steps =
        [
            new StepSnapshot
            {
                StepId = "compile",
                Status = StepStatus.Completed,
                Attempts = 2,
                StartedAt = Start,
                FinishedAt = Start.AddSeconds(5),
                Output = JsonSerializer.SerializeToElement(new { artifact = "app.zip", sizes = new[] { 1, 2 } }),
                ParallelGroup = 2,
                ExitCode = 0,
                Outputs = new Dictionary<string, string> { ["summary"] = "3 passed" },
            },
            new StepSnapshot { StepId = "test", Status = StepStatus.Pending },
        ],
        LogCursor = new Dictionary<string, long> { ["compile"] = 1234 },
        TakenAt = Start.AddMinutes(1),
    };

    [Fact]
    public void A_snapshot_survives_a_json_round_trip()
    {
        var snapshot = Sample();

        var json = snapshot.ToJson();
        var read = WorkflowSnapshot.FromJson(json);

        Assert.Equal(json, read.ToJson());
        Assert.Equal((snapshot.RunId, snapshot.Status, snapshot.TakenAt), (read.RunId, read.Status, read.TakenAt));
        Assert.Equal(snapshot.Steps[1] with { Outputs = EmptyMap<string>.Instance }, read.Steps[1] with { Outputs = EmptyMap<string>.Instance });
        Assert.Equal(snapshot.Steps[0] with { Output = null, Outputs = EmptyMap<string>.Instance }, read.Steps[0] with { Output = null, Outputs = EmptyMap<string>.Instance });
        Assert.Equal(snapshot.Steps[0].Outputs, read.Steps[0].Outputs);
        Assert.Equal(JsonText(snapshot.Steps[0].Output), JsonText(read.Steps[0].Output));
        Assert.Equal(JsonText(snapshot.Variables), JsonText(read.Variables));
        Assert.Equal(1234, read.LogCursor["compile"]);
    }

    [Fact]
    public void The_json_is_camel_case_with_readable_statuses_and_a_format_version()
    {
        using var document = JsonDocument.Parse(Sample().ToJson());
        var root = document.RootElement;

        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal("interrupted", root.GetProperty("status").GetString());
        Assert.Equal("compile", root.GetProperty("steps")[0].GetProperty("stepId").GetString());
        Assert.Equal("app.zip", root.GetProperty("steps")[0].GetProperty("output").GetProperty("artifact").GetString());
    }

    [Fact]
    public void A_snapshot_from_a_newer_format_is_refused_with_a_clear_error()
    {
        var json = Sample().ToJson().Replace("\"formatVersion\": 1", "\"formatVersion\": 7", StringComparison.Ordinal);

        Assert.False(WorkflowSnapshot.TryFromJson(json, out var snapshot, out var error));
        Assert.Null(snapshot);
        Assert.Contains("format version 7", error, StringComparison.Ordinal);
        Assert.Contains("upgrade Flowline", error, StringComparison.Ordinal);
        Assert.Contains("format version 7", Assert.Throws<FormatException>(() => WorkflowSnapshot.FromJson(json)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"runId\": \"x\"}")]
    [InlineData("{\"formatVersion\": 1, \"runId\": \"x\"}")]
    [InlineData("{\"formatVersion\": 1, \"runId\": \"x\", \"workflowName\": \"w\", \"workflowVersion\": \"1\", \"status\": \"sideways\"}")]
    public void Text_that_is_not_a_snapshot_gives_an_error_instead_of_throwing(string json)
    {
        Assert.False(WorkflowSnapshot.TryFromJson(json, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
