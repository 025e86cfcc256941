using System.Collections.Concurrent;
using Flowline.Execution;
using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class MonitoringTests
{
    [Fact]
    public async Task GetExecutionReport_shows_the_live_state_when_called_from_another_thread()
    {
        var fake = new FakeStepExecutor().Hold("b");
        var runner = Runner(fake);
        var workflow = Workflow(Step("a"), Step("b", "a"), Step("c", "b"), Step("d", "b"));

        var run = runner.ExecuteAsync(workflow);
        await fake.WhenStarted("b").Within();
        var report = await Task.Run(runner.GetExecutionReport).Within();

        Assert.Equal(WorkflowStatus.Running, report.Status);
        Assert.Equal(WorkflowStatus.Running, runner.Status);
        Assert.Equal(4, report.TotalSteps);
        Assert.Equal(1, report.CompletedSteps);
        Assert.Equal(1, report.FinishedSteps);
        Assert.Equal(25, report.Progress);
        Assert.Equal(25, runner.Progress);
        Assert.Equal(["b"], report.RunningSteps);
        Assert.Equal([StepStatus.Completed, StepStatus.Running, StepStatus.Pending, StepStatus.Pending], report.Steps.Values);

        fake.Release("b");
        await run.Within();
        var final = runner.GetExecutionReport();
        Assert.Equal(WorkflowStatus.Completed, final.Status);
        Assert.Equal(100, final.Progress);
        Assert.Empty(final.RunningSteps);
    }

    [Fact]
    public void GetExecutionReport_before_any_run_is_empty_and_pending()
    {
        var report = new WorkflowRunner().GetExecutionReport();

        Assert.Equal(WorkflowStatus.Pending, report.Status);
        Assert.Equal(0, report.TotalSteps);
        Assert.Null(new WorkflowRunner().Context);
    }

    [Fact]
    public async Task Runner_raises_started_and_finished_events_for_every_step()
    {
        var fake = new FakeStepExecutor(behavior: (step, _, _) => step.Id == "b" ? Fail("nope") : Task.FromResult(StepExecutionResult.Succeeded()));
        var runner = Runner(fake);
        var started = new ConcurrentQueue<StepStartedEventArgs>();
        var finished = new ConcurrentQueue<StepFinishedEventArgs>();
        runner.StepStarted += (_, e) => started.Enqueue(e);
        runner.StepFinished += (_, e) => finished.Enqueue(e);

        await runner.ExecuteAsync(Workflow(Step("a"), Step("b", "a"), Step("c", "b"))).Within();

        Assert.Equal(["a", "b"], started.Select(e => e.StepId));
        Assert.Equal(1, started.Last().ParallelGroup);
        Assert.Equal(["a", "b", "c"], finished.Select(e => e.StepId));
        Assert.Equal([StepStatus.Completed, StepStatus.Failed, StepStatus.Skipped], finished.Select(e => e.Result.Status));
    }

    [Fact]
    public async Task Runner_keeps_running_when_event_handlers_throw()
    {
        var fake = new FakeStepExecutor(behavior: (_, context, _) =>
        {
            context.Log("hello");
            return Task.FromResult(StepExecutionResult.Succeeded());
        });
        var runner = Runner(fake);
        runner.StepStarted += (_, _) => throw new InvalidOperationException("ui bug");
        runner.StepFinished += (_, _) => throw new InvalidOperationException("ui bug");
        runner.LogReceived += (_, _) => throw new InvalidOperationException("ui bug");

        var result = await runner.ExecuteAsync(Workflow(Step("a"), Step("b", "a"))).Within();

        Assert.True(result.Success);
        Assert.Contains(runner.Context!.GetLogs(), l => l.Text.Contains("StepStarted handler threw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Step_log_lines_reach_the_context_and_the_log_event_one_line_at_a_time()
    {
        var fake = new FakeStepExecutor(behavior: (_, context, _) =>
        {
            context.Log("compiling\ndone", LogStream.Stdout);
            context.Log("warning", LogStream.Stderr);
            return Task.FromResult(StepExecutionResult.Succeeded());
        });
        var runner = Runner(fake);
        var received = new ConcurrentQueue<LogEntry>();
        runner.LogReceived += (_, e) => received.Enqueue(e.Entry);

        await runner.ExecuteAsync(Workflow(Step("build"))).Within();

        var logs = runner.Context!.GetLogs();
        Assert.Equal(["compiling", "done", "warning"], logs.Select(l => l.Text));
        Assert.All(logs, l => Assert.Equal("build", l.StepId));
        Assert.Equal([LogStream.Stdout, LogStream.Stdout, LogStream.Stderr], logs.Select(l => l.Stream));
        Assert.Equal(logs, received);
    }

    [Fact]
    public async Task The_context_keeps_only_the_newest_lines_beyond_its_capacity()
    {
        var fake = new FakeStepExecutor(behavior: (_, context, _) =>
        {
            for (var i = 0; i < 10; i++)
            {
                context.Log($"line {i}");
            }

            return Task.FromResult(StepExecutionResult.Succeeded());
        });
        var runner = Runner(fake);

        await runner.ExecuteAsync(Workflow(Step("a")), new ExecutionOptions { LogCapacity = 3 }).Within();

        Assert.Equal(["line 7", "line 8", "line 9"], runner.Context!.GetLogs().Select(l => l.Text));
        Assert.Equal(7, runner.Context.DroppedLogLines);
    }

    [Fact]
    public async Task Steps_get_the_workflow_env_the_step_env_and_the_flowline_variables()
    {
        IReadOnlyDictionary<string, string>? seen = null;
        string? directory = null;
        ExecutionOptions? options = null;
        var fake = new FakeStepExecutor(behavior: (_, context, _) =>
        {
            options = context.Options;
            seen = context.Environment.ToDictionary();
            directory = context.WorkingDirectory;
            return Task.FromResult(StepExecutionResult.Succeeded());
        });
        var workflow = Workflow(Step("deploy") with
        {
            Config = new ScriptStepConfig
            {
                Command = "deploy.sh",
                Env = new Dictionary<string, string> { ["DEPLOY_ENV"] = "staging", ["NODE_ENV"] = "test", ["FLOWLINE_STEP_ID"] = "forged" },
            },
        }) with
        {
            Name = "release",
            Env = new Dictionary<string, string> { ["NODE_ENV"] = "production", ["API_URL"] = "https://api.example.com" },
        };

        var given = new ExecutionOptions { RunId = "run-42", OutputLimitBytes = 4096 };
        await Runner(fake).ExecuteAsync(workflow, given).Within();

        Assert.NotNull(seen);
        Assert.Equal("test", seen["NODE_ENV"]);
        Assert.Equal("https://api.example.com", seen["API_URL"]);
        Assert.Equal("staging", seen["DEPLOY_ENV"]);
        Assert.Equal("run-42", seen["FLOWLINE_RUN_ID"]);
        Assert.Equal("release", seen["FLOWLINE_WORKFLOW"]);
        Assert.Equal("deploy", seen["FLOWLINE_STEP_ID"]);
        Assert.Equal("1", seen["FLOWLINE_ATTEMPT"]);
        Assert.Equal(Directory.GetCurrentDirectory(), directory);
        Assert.Same(given, options);
    }

    [Fact]
    public async Task Steps_run_in_the_folder_of_the_workflow_file_unless_the_options_override_it()
    {
        var file = Path.GetTempFileName();
        try
        {
            var directories = new ConcurrentQueue<string>();
            var fake = new FakeStepExecutor(behavior: (_, context, _) =>
            {
                directories.Enqueue(context.WorkingDirectory);
                return Task.FromResult(StepExecutionResult.Succeeded());
            });
            var workflow = Workflow(Step("a")) with { Source = new WorkflowSource(file, "hash", new Dictionary<string, SourceLocation>()) };
            var runner = Runner(fake);

            await runner.ExecuteAsync(workflow).Within();
            await runner.ExecuteAsync(workflow, new ExecutionOptions { WorkingDirectory = "/" }).Within();

            Assert.Equal([Path.GetDirectoryName(file)!, "/"], directories);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_preparation_seam_can_skip_a_step_without_blocking_its_dependents_or_fail_it()
    {
        var fake = new FakeStepExecutor();
        var runner = Runner(fake);
        runner.Preparation = new ScriptedPreparation();
        var workflow = Workflow(Step("skip-me"), Step("after", "skip-me"), Step("fail-me", "after"), Step("last", "fail-me"));

        var result = await runner.ExecuteAsync(workflow).Within();

        Assert.Equal(StepStatus.Skipped, result.StepResults["skip-me"].Status);
        Assert.Equal("skipped: condition 'false' is false", result.StepResults["skip-me"].SkipReason);
        Assert.Equal(StepStatus.Completed, result.StepResults["after"].Status);
        Assert.Equal(StepStatus.Failed, result.StepResults["fail-me"].Status);
        Assert.Equal("template error", result.StepResults["fail-me"].Error);
        Assert.Equal(0, result.StepResults["fail-me"].Attempts);
        Assert.Equal(StepStatus.Skipped, result.StepResults["last"].Status);
        Assert.Equal(["after"], fake.StartOrder);
    }

    [Fact]
    public async Task ExecuteAsync_refuses_a_second_run_on_a_busy_runner()
    {
        var fake = new FakeStepExecutor().Hold("a");
        var runner = Runner(fake);

        var run = runner.ExecuteAsync(Workflow(Step("a")));
        await fake.WhenStarted("a").Within();

        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ExecuteAsync(Workflow(Step("a"))));
        fake.Release("a");
        Assert.True((await run.Within()).Success);
    }

    private sealed class ScriptedPreparation : IStepPreparation
    {
        public StepPreparation Prepare(PlannedStep step, IStepRunState state) => step.Id switch
        {
            "skip-me" => StepPreparation.Skip("skipped: condition 'false' is false"),
            "fail-me" when state.TryGetStepResult("after", out var after) && after.Success => StepPreparation.Fail("template error"),
            _ => StepPreparation.Run(step.Step),
        };
    }
}
