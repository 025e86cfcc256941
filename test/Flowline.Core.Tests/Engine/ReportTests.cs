using System.Text.Json;
using Flowline.Testing;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class ReportTests
{
    private static async Task<(WorkflowRunner Runner, WorkflowDefinition Workflow, WorkflowResult Result)> RunSampleAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var fake = new FakeStepExecutor(behavior: (step, _, _) =>
        {
            time.Advance(TimeSpan.FromMilliseconds(1500));
            return step.Id switch
            {
                "test" => Task.FromResult(new StepExecutionResult { Success = false, Error = "exit code 2", ExitCode = 2 }),
                _ => Task.FromResult(StepExecutionResult.Succeeded(new Dictionary<string, object?> { ["files"] = 3L, ["tags"] = new[] { "x" } })),
            };
        });
        var workflow = Workflow(
            new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["cpu"] = 2, ["db"] = 1 } },
            Step("build").WithParallel(new StepParallelOptions { Resource = "cpu" }),
            Step("test", "build"),
            Step("deploy", "test")) with { Name = "Release", Version = "2.1.0" };
        var runner = Runner(fake, time);
        var result = await runner.ExecuteAsync(workflow).Within();
        return (runner, workflow, result);
    }

    [Fact]
    public async Task Summary_report_gives_status_duration_one_line_per_step_and_parallel_stats()
    {
        var (runner, workflow, result) = await RunSampleAsync();

        var summary = runner.GenerateSummaryReport(workflow, result);

        Assert.Equal(
            """
            Workflow: Release 2.1.0
            Status: failed
            Duration: 3s
            Error: step 'test' failed: exit code 2
            Steps: 3 total, 1 completed, 1 failed, 1 skipped, 0 cancelled
              build   completed  1.5s
              test    failed     1.5s  exit code 2
              deploy  skipped    skipped: step 'test' failed
            Parallel: 3 groups, max 1 concurrent steps
            Resources: cpu 25.0%, db 0.0%

            """.ReplaceLineEndings("\n"),
            summary);
    }

    [Fact]
    public async Task Detailed_report_is_camel_case_json_listing_every_step()
    {
        var (runner, workflow, result) = await RunSampleAsync();

        using var json = JsonDocument.Parse(runner.GenerateDetailedReport(workflow, result));

        var root = json.RootElement;
        Assert.Equal("Release", root.GetProperty("workflow").GetProperty("name").GetString());
        Assert.Equal("2.1.0", root.GetProperty("workflow").GetProperty("version").GetString());
        Assert.False(root.GetProperty("success").GetBoolean());
        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Equal(3000, root.GetProperty("executionTime").GetInt64());
        Assert.Equal("step 'test' failed: exit code 2", root.GetProperty("error").GetString());

        var steps = root.GetProperty("stepResults");
        Assert.Equal(["build", "test", "deploy"], steps.EnumerateObject().Select(p => p.Name));
        var build = steps.GetProperty("build");
        Assert.Equal(
            ["name", "status", "success", "output", "outputs", "error", "executionTime", "parallelGroup", "startTime", "endTime", "attempts", "exitCode", "skipReason", "cached", "cacheReason", "metadata"],
            build.EnumerateObject().Select(p => p.Name));
        Assert.Equal("completed", build.GetProperty("status").GetString());
        Assert.True(build.GetProperty("success").GetBoolean());
        Assert.Equal(3, build.GetProperty("output").GetProperty("files").GetInt64());
        Assert.Equal("x", build.GetProperty("output").GetProperty("tags")[0].GetString());
        Assert.Equal(1500, build.GetProperty("executionTime").GetInt64());
        Assert.Equal("2026-01-02T03:04:05+00:00", build.GetProperty("startTime").GetString());
        Assert.Equal(JsonValueKind.Null, build.GetProperty("exitCode").ValueKind);
        Assert.Equal(2, steps.GetProperty("test").GetProperty("exitCode").GetInt32());
        Assert.Equal(1, steps.GetProperty("test").GetProperty("parallelGroup").GetInt32());
        var deploy = steps.GetProperty("deploy");
        Assert.Equal("skipped", deploy.GetProperty("status").GetString());
        Assert.Equal("skipped: step 'test' failed", deploy.GetProperty("skipReason").GetString());
        Assert.Equal(JsonValueKind.Null, deploy.GetProperty("startTime").ValueKind);
        Assert.Equal(0, deploy.GetProperty("attempts").GetInt32());

        var stats = root.GetProperty("parallelStats");
        Assert.Equal(3, stats.GetProperty("totalGroups").GetInt32());
        Assert.Equal(1, stats.GetProperty("maxConcurrentSteps").GetInt32());
        Assert.Equal(0.25, stats.GetProperty("resourceUtilization").GetProperty("cpu").GetDouble());
        Assert.Equal(0, stats.GetProperty("resourceUtilization").GetProperty("db").GetDouble());
    }

    [Fact]
    public async Task Detailed_report_says_success_exactly_when_the_run_completed()
    {
        var runner = Runner(new FakeStepExecutor());
        var workflow = Workflow(Step("a"));
        var result = await runner.ExecuteAsync(workflow).Within();

        using var json = JsonDocument.Parse(runner.GenerateDetailedReport(workflow, result));

        Assert.True(json.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task A_registered_custom_executor_runs_its_steps_and_its_output_reaches_the_reports()
    {
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new DatabaseStepExecutor());
        var workflow = Workflow(Step("migrate") with
        {
            Type = "database",
            Config = new CustomStepConfig { Raw = new Dictionary<string, object?> { ["table"] = "users" } },
        });

        var result = await runner.ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.StepResults["migrate"].Output);
        Assert.Equal(100, output["recordsProcessed"]);
        using var json = JsonDocument.Parse(runner.GenerateDetailedReport(workflow, result));
        Assert.Equal(100, json.RootElement.GetProperty("stepResults").GetProperty("migrate").GetProperty("output").GetProperty("recordsProcessed").GetInt32());
    }

    [Fact]
    public async Task The_script_executor_is_registered_by_default()
    {
        var runner = new WorkflowRunner();
        var workflow = Workflow(Step("a") with { Type = "script", Config = new ScriptStepConfig { Command = "true" } });

        var result = await runner.ExecuteAsync(workflow).Within();

        Assert.DoesNotContain("no executor is registered", result.Error ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>The spec's "Custom Step Executors" example.</summary>
    private sealed class DatabaseStepExecutor : StepExecutor
    {
        public override string Type => "database";

        public override async Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
        {
            await Task.Yield();
            context.Log($"migrating {step.Config.Raw["table"]}");
            return StepExecutionResult.Succeeded(new Dictionary<string, object?> { ["recordsProcessed"] = 100 });
        }
    }
}
