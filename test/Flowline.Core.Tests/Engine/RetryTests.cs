using System.Collections.Concurrent;
using Flowline.Testing;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

/// <summary>Issue 13, docs/retries.md: what is retried, when, and what the result says.</summary>
public sealed class RetryTests
{
    private static WorkflowStep Retried(string id, RetryOptions retry, params string[] dependsOn) => Step(id, dependsOn) with { Retry = retry };

    /// <summary>Completes when the step's log says it waits to retry: its timer exists, so the fake clock may move on.</summary>
    private static Task WhenWaitingToRetry(WorkflowRunner runner, string stepId, int failedAttempt)
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.LogReceived += (_, e) =>
        {
            if (e.Entry.StepId == stepId && e.Entry.Text.StartsWith($"attempt {failedAttempt} of ", StringComparison.Ordinal) && e.Entry.Text.Contains(" failed: ", StringComparison.Ordinal))
            {
                waiting.TrySetResult();
            }
        };
        return waiting.Task;
    }

    [Fact]
    public async Task A_failing_step_is_tried_again_after_its_delays_and_reports_every_attempt()
    {
        var time = new FakeTimeProvider();
        var seen = new ConcurrentQueue<(int Attempt, string Env)>();
        var fake = new FakeStepExecutor(behavior: (step, context, _) =>
        {
            if (step.Id != "flaky")
            {
                return Task.FromResult(StepExecutionResult.Succeeded());
            }

            seen.Enqueue((context.Attempt, context.Environment["FLOWLINE_ATTEMPT"]));
            return context.Attempt < 3 ? Fail($"try {context.Attempt} broke") : Task.FromResult(StepExecutionResult.Succeeded($"out {context.Attempt}"));
        });
        var runner = Runner(fake, time);
        var log = new ConcurrentQueue<string>();
        runner.LogReceived += (_, e) => log.Enqueue(e.Entry.Text);
        var second = WhenWaitingToRetry(runner, "flaky", 1);
        var third = WhenWaitingToRetry(runner, "flaky", 2);

        var run = runner.ExecuteAsync(Workflow(Retried("flaky", new RetryOptions { Attempts = 3, Delay = TimeSpan.FromSeconds(2), Backoff = 2 }), Step("next", "flaky")));
        await second.Within();
        Assert.False(fake.HasStarted("next"));
        time.Advance(TimeSpan.FromSeconds(2));
        await third.Within();
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(2, seen.Count);
        time.Advance(TimeSpan.FromSeconds(1));

        var result = await run.Within();
        Assert.True(result.Success);
        var flaky = result.StepResults["flaky"];
        Assert.Equal(3, flaky.Attempts);
        Assert.Equal("out 3", flaky.Output);
        Assert.Equal(TimeSpan.FromSeconds(6), flaky.ExecutionTime);
        Assert.Equal([(1, "1"), (2, "2"), (3, "3")], seen);
        Assert.Equal(1, result.StepResults["next"].Attempts);
        Assert.Contains("── attempt 2 of 3 ──", log);
        Assert.Contains("attempt 2 of 3 failed: try 2 broke; attempt 3 starts in 4s", log);
    }

    [Fact]
    public async Task A_step_that_fails_every_attempt_fails_with_the_last_error_and_stops_the_run()
    {
        var fake = new FakeStepExecutor(behavior: (_, context, _) => Fail($"try {context.Attempt}"));
        var runner = Runner(fake);

        var result = await runner.ExecuteAsync(Workflow(Retried("bad", new RetryOptions { Attempts = 4, Delay = TimeSpan.Zero }), Step("next", "bad"))).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal(4, result.StepResults["bad"].Attempts);
        Assert.Equal("try 4", result.StepResults["bad"].Error);
        Assert.Equal(StepStatus.Skipped, result.StepResults["next"].Status);
    }

    [Fact]
    public async Task A_step_that_could_not_start_is_not_retried()
    {
        var fake = new FakeStepExecutor(behavior: (_, _, _) => Task.FromResult(StepExecutionResult.Failed("'nope' was not found") with { CouldNotStart = true }));
        var runner = Runner(fake);

        var result = await runner.ExecuteAsync(Workflow(Retried("missing", new RetryOptions { Attempts = 5, Delay = TimeSpan.Zero }))).Within();

        Assert.Equal(StepStatus.Failed, result.StepResults["missing"].Status);
        Assert.Equal(1, result.StepResults["missing"].Attempts);
        Assert.Single(fake.StartOrder);
    }

    [Theory]
    [InlineData(75, 2)]
    [InlineData(1, 1)]
    public async Task With_on_exit_codes_only_those_exit_codes_are_retried(int exitCode, int expectedAttempts)
    {
        var fake = new FakeStepExecutor(behavior: (_, context, _) => Task.FromResult(context.Attempt == 1
            ? new StepExecutionResult { Success = false, Error = "exit", ExitCode = exitCode }
            : StepExecutionResult.Succeeded()));
        var runner = Runner(fake);

        var result = await runner.ExecuteAsync(Workflow(Retried("publish", new RetryOptions { Attempts = 3, Delay = TimeSpan.Zero, OnExitCodes = [75] }))).Within();

        Assert.Equal(expectedAttempts, result.StepResults["publish"].Attempts);
        Assert.Equal(expectedAttempts == 2, result.Success);
    }

    [Fact]
    public async Task With_on_exit_codes_a_timed_out_attempt_is_not_retried_but_without_them_it_is()
    {
        var timedOut = new StepExecutionResult
        {
            Success = false,
            Error = "timed out",
            ExitCode = 75,
            Metadata = new Dictionary<string, object?> { ["timedOut"] = true },
        };
        var fake = new FakeStepExecutor(behavior: (_, context, _) => Task.FromResult(context.Attempt == 1 ? timedOut : StepExecutionResult.Succeeded()));
        var runner = Runner(fake);

        var strict = await runner.ExecuteAsync(Workflow(Retried("a", new RetryOptions { Attempts = 2, Delay = TimeSpan.Zero, OnExitCodes = [75] }))).Within();
        var any = await runner.ExecuteAsync(Workflow(Retried("a", new RetryOptions { Attempts = 2, Delay = TimeSpan.Zero }))).Within();

        Assert.Equal(1, strict.StepResults["a"].Attempts);
        Assert.False(strict.Success);
        Assert.Equal(2, any.StepResults["a"].Attempts);
        Assert.True(any.Success);
    }

    [Fact]
    public async Task Each_attempt_gets_the_step_timeout_again()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor(behavior: async (_, context, token) =>
        {
            if (context.Attempt == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, token);
            }

            return StepExecutionResult.Succeeded("second");
        });
        var runner = Runner(fake, time);
        var waiting = WhenWaitingToRetry(runner, "slow", 1);
        var step = Retried("slow", new RetryOptions { Attempts = 2, Delay = TimeSpan.FromSeconds(1) }) with
        {
            Config = new AgentStepConfig { Agent = "analyzer", Timeout = TimeSpan.FromSeconds(5) },
        };

        var run = runner.ExecuteAsync(Workflow(step));
        await fake.WhenStarted("slow").Within();
        time.Advance(TimeSpan.FromSeconds(5));
        await waiting.Within();
        time.Advance(TimeSpan.FromSeconds(1));

        var result = await run.Within();
        Assert.True(result.Success);
        Assert.Equal(2, result.StepResults["slow"].Attempts);
        Assert.Equal("second", result.StepResults["slow"].Output);
    }

    [Fact]
    public async Task Cancelling_during_a_delay_stops_at_once_and_the_step_ends_cancelled()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor(behavior: (_, _, _) => Fail("down"));
        var runner = Runner(fake, time);
        var waiting = WhenWaitingToRetry(runner, "a", 1);
        using var cancel = new CancellationTokenSource();

        var run = runner.ExecuteAsync(Workflow(Retried("a", new RetryOptions { Attempts = 3, Delay = TimeSpan.FromHours(1) }), Step("b", "a")), cancellationToken: cancel.Token);
        await waiting.Within();
        await cancel.CancelAsync();

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["a"].Status);
        Assert.Equal(1, result.StepResults["a"].Attempts);
        Assert.Contains("while waiting to retry (attempt 1 failed: down)", result.StepResults["a"].Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Skipped, result.StepResults["b"].Status);
        Assert.Single(fake.StartOrder);
    }

    [Fact]
    public async Task The_workflow_timeout_bounds_the_delays()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor(behavior: (_, _, _) => Fail("down"));
        var runner = Runner(fake, time);
        var waiting = WhenWaitingToRetry(runner, "a", 1);
        var workflow = Workflow(Retried("a", new RetryOptions { Attempts = 3, Delay = TimeSpan.FromHours(1) })) with { Timeout = TimeSpan.FromSeconds(10) };

        var run = runner.ExecuteAsync(workflow);
        await waiting.Within();
        time.Advance(TimeSpan.FromSeconds(10));

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("timed out", result.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["a"].Status);
    }

    [Fact]
    public async Task A_step_waiting_to_retry_gives_its_pool_unit_to_another_step()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor(behavior: (step, context, _) =>
            step.Id == "a" && context.Attempt == 1 ? Fail("busy") : Task.FromResult(StepExecutionResult.Succeeded())).Hold("b");
        var runner = Runner(fake, time);
        var waiting = WhenWaitingToRetry(runner, "a", 1);
        var pool = new StepParallelOptions { Resource = "db" };
        var workflow = Workflow(
            new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["db"] = 1 } },
            Retried("a", new RetryOptions { Attempts = 2, Delay = TimeSpan.FromSeconds(30) }).WithParallel(pool),
            Step("b").WithParallel(pool));

        var run = runner.ExecuteAsync(workflow);
        await waiting.Within();
        await fake.WhenStarted("b").Within();
        time.Advance(TimeSpan.FromSeconds(30));
        fake.Release("b");

        var result = await run.Within();
        Assert.True(result.Success);
        Assert.Equal(2, result.StepResults["a"].Attempts);
        Assert.Equal(1, fake.MaxConcurrency());
    }

    [Fact]
    public async Task Another_step_failing_cancels_a_step_waiting_to_retry()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor(behavior: (_, _, _) => Fail("down")).Hold("b");
        var runner = Runner(fake, time);
        var waiting = WhenWaitingToRetry(runner, "a", 1);

        var run = runner.ExecuteAsync(Workflow(Retried("a", new RetryOptions { Attempts = 3, Delay = TimeSpan.FromHours(1) }), Step("b")));
        await waiting.Within();
        await fake.WhenStarted("b").Within();
        fake.Release("b", StepExecutionResult.Failed("b broke"));

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["a"].Status);
        Assert.Equal(StepStatus.Failed, result.StepResults["b"].Status);
    }

    [Fact]
    public void Delays_grow_by_the_backoff_and_stop_at_max_delay()
    {
        var retry = new RetryOptions { Attempts = 6, Delay = TimeSpan.FromSeconds(2), Backoff = 2, MaxDelay = TimeSpan.FromSeconds(10) };

        Assert.Equal(
            [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)],
            Enumerable.Range(2, 5).Select(retry.DelayBefore));
        Assert.Equal(TimeSpan.FromSeconds(1), new RetryOptions { Attempts = 3 }.DelayBefore(3));
    }
}
