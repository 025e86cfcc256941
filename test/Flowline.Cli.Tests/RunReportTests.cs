using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// <c>--report-json</c> (issue #3): camelCase, every step listed, <c>parallelStats</c> always present, <c>success</c>
/// true exactly when <c>status</c> is <c>completed</c>, and written for failed and timed-out runs too.
/// </summary>
public sealed class RunReportTests
{
    [Fact]
    public async Task The_report_of_a_successful_run_lists_every_step_in_camel_case()
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var file = dir.Write("ok.yaml", Workflows.Of(
            "Ok",
            "",
            Workflows.Sh("first", "echo hello"),
            Workflows.Sh("second", "true", ["first"])));

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var json = ReadReport(report);
        var root = json.RootElement;
        AssertShape(root, "completed", ["first", "second"]);
        Assert.Equal("completed", Step(root, "second").GetProperty("status").GetString());
        Assert.Equal(1, Step(root, "second").GetProperty("parallelGroup").GetInt32());
        Assert.Equal(2, root.GetProperty("parallelStats").GetProperty("totalGroups").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task The_report_lists_each_steps_named_outputs()
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var file = dir.Write("outputs.yaml", Workflows.Of(
            "Outputs",
            "",
            Workflows.Sh("build", "echo 'version=2.1.0' >> \"$FLOWLINE_OUTPUT\"; printf 'notes<<EOF\\nfirst\\nsecond\\nEOF\\n' >> \"$FLOWLINE_OUTPUT\""),
            Workflows.Sh("quiet", "true", ["build"])));

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var json = ReadReport(report);
        var outputs = Step(json.RootElement, "build").GetProperty("outputs");
        Assert.Equal(["version", "notes"], outputs.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2.1.0", outputs.GetProperty("version").GetString());
        Assert.Equal("first\nsecond", outputs.GetProperty("notes").GetString());
        Assert.Empty(Step(json.RootElement, "quiet").GetProperty("outputs").EnumerateObject());
    }

    [Fact]
    public async Task The_report_of_a_failed_run_lists_the_failure_and_the_skipped_steps()
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var file = dir.Write("fail.yaml", Workflows.Of(
            "Fail",
            "",
            Workflows.Sh("build", "exit 2"),
            Workflows.Sh("deploy", "true", ["build"])));

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.Equal(1, run.ExitCode);
        using var json = ReadReport(report);
        var root = json.RootElement;
        AssertShape(root, "failed", ["build", "deploy"]);
        Assert.Equal("failed", Step(root, "build").GetProperty("status").GetString());
        Assert.Equal(2, Step(root, "build").GetProperty("exitCode").GetInt32());
        Assert.Equal("skipped", Step(root, "deploy").GetProperty("status").GetString());
        Assert.Contains("build", root.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_of_a_timed_out_run_says_it_timed_out()
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var file = dir.Write("slow.yaml", Workflows.Of(
            "Slow",
            "",
            Workflows.Sh("quick", "true"),
            Workflows.Sh("slow", "sleep 1000", ["quick"]),
            Workflows.Sh("after", "true", ["slow"])));

        var run = await CliRunner.RunAsync("run", file, "--timeout", "1s", "--report-json", report);

        Assert.Equal(1, run.ExitCode);
        using var json = ReadReport(report);
        var root = json.RootElement;
        AssertShape(root, "failed", ["quick", "slow", "after"]);
        Assert.Contains("timed out", root.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", Step(root, "quick").GetProperty("status").GetString());
        Assert.NotEqual("completed", Step(root, "slow").GetProperty("status").GetString());
        Assert.Equal("skipped", Step(root, "after").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_report_has_parallel_stats_also_when_sequential()
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var file = dir.Write("pools.yaml", Workflows.Of(
            "Pools",
            "parallel:\n  resources:\n    cpu: 2",
            Workflows.Sh("a", "true", extra: "parallel: { resource: cpu }"),
            Workflows.Sh("b", "true")));

        var run = await CliRunner.RunAsync("run", file, "--sequential", "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var json = ReadReport(report);
        var stats = json.RootElement.GetProperty("parallelStats");
        Assert.Equal(1, stats.GetProperty("maxConcurrentSteps").GetInt32());
        Assert.Equal(1, stats.GetProperty("totalGroups").GetInt32());
        var cpu = stats.GetProperty("resourceUtilization").GetProperty("cpu").GetDouble();
        Assert.InRange(cpu, 0, 1);
    }

    private static JsonDocument ReadReport(string path)
    {
        Assert.True(File.Exists(path), "no report at " + path);
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    private static JsonElement Step(JsonElement root, string id) => root.GetProperty("stepResults").GetProperty(id);

    /// <summary>What every report has, whatever the outcome.</summary>
    internal static void AssertShape(JsonElement root, string status, string[] stepIds)
    {
        Assert.Equal(status, root.GetProperty("status").GetString());
        Assert.Equal(status == "completed", root.GetProperty("success").GetBoolean());
        Assert.True(root.GetProperty("executionTime").GetInt64() >= 0);
        Assert.Equal(stepIds, root.GetProperty("stepResults").EnumerateObject().Select(p => p.Name));
        foreach (var step in root.GetProperty("stepResults").EnumerateObject())
        {
            foreach (var key in (string[])["status", "success", "output", "error", "executionTime", "parallelGroup"])
            {
                Assert.True(step.Value.TryGetProperty(key, out _), $"step '{step.Name}' has no '{key}'");
            }

            Assert.Equal(
                step.Value.GetProperty("status").GetString() == "completed",
                step.Value.GetProperty("success").GetBoolean());
        }

        var stats = root.GetProperty("parallelStats");
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("totalGroups").ValueKind);
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("maxConcurrentSteps").ValueKind);
        Assert.Equal(JsonValueKind.Object, stats.GetProperty("resourceUtilization").ValueKind);

        // camelCase throughout: no key of the report starts with a capital letter.
        foreach (var name in Names(root))
        {
            Assert.True(!char.IsUpper(name[0]) || stepIds.Contains(name), $"'{name}' is not camelCase");
        }
    }

    private static IEnumerable<string> Names(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Names),
        _ => [],
    };
}
