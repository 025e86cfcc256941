using Flowline.Testing;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class TimeoutAndCancellationTests
{
    private static WorkflowStep TimedStep(string id, TimeSpan timeout, params string[] dependsOn) =>
        Step(id, dependsOn) with { Config = new AgentStepConfig { Agent = "analyzer", Timeout = timeout } };

    [Fact]
    public async Task Runner_fails_a_step_that_outlives_its_timeout()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor().Hold("slow");
        var runner = Runner(fake, time);

        var run = runner.ExecuteAsync(Workflow(TimedStep("slow", TimeSpan.FromSeconds(2)), Step("next", "slow")));
        await fake.WhenStarted("slow").Within();
        time.Advance(TimeSpan.FromSeconds(2));

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.StepResults["slow"].Status);
        Assert.Equal("timed out after 2s", result.StepResults["slow"].Error);
        Assert.Equal(TimeSpan.FromSeconds(2), result.StepResults["slow"].ExecutionTime);
        Assert.Equal("skipped: step 'slow' failed", result.StepResults["next"].SkipReason);
    }

    [Fact]
    public async Task Runner_tolerates_a_timed_out_step_with_continue_on_error()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor().Hold("slow");
        var runner = Runner(fake, time);

        var run = runner.ExecuteAsync(Workflow(TimedStep("slow", TimeSpan.FromMilliseconds(500)) with { ContinueOnError = true }, Step("next", "slow")));
        await fake.WhenStarted("slow").Within();
        time.Advance(TimeSpan.FromSeconds(1));

        var result = await run.Within();
        Assert.True(result.Success);
        Assert.Equal("timed out after 500ms", result.StepResults["slow"].Error);
        Assert.Equal(StepStatus.Completed, result.StepResults["next"].Status);
    }

    [Fact]
    public async Task Runner_does_not_time_out_a_step_that_finishes_in_time()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor().Hold("quick");
        var runner = Runner(fake, time);

        var run = runner.ExecuteAsync(Workflow(TimedStep("quick", TimeSpan.FromSeconds(2))));
        await fake.WhenStarted("quick").Within();
        time.Advance(TimeSpan.FromSeconds(1));
        fake.Release("quick");

        var result = await run.Within();
        Assert.True(result.Success);
    }

    [Fact]
    public async Task Runner_fails_the_workflow_when_its_timeout_expires_cancelling_running_and_skipping_pending_steps()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor().Hold("slow");
        var runner = Runner(fake, time);
        var workflow = Workflow(Step("slow"), Step("next", "slow")) with { Timeout = TimeSpan.FromMinutes(10) };

        var run = runner.ExecuteAsync(workflow, new ExecutionOptions { Timeout = TimeSpan.FromSeconds(5) });
        await fake.WhenStarted("slow").Within();
        time.Advance(TimeSpan.FromSeconds(5));

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal("workflow timed out after 5s", result.Error);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["slow"].Status);
        Assert.Equal("skipped: workflow timed out after 5s", result.StepResults["next"].SkipReason);
        Assert.Equal(WorkflowStatus.Failed, runner.Status);
    }

    [Fact]
    public async Task Runner_uses_the_workflow_timeout_when_the_options_give_none()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor().Hold("slow");
        var runner = Runner(fake, time);

        var run = runner.ExecuteAsync(Workflow(Step("slow")) with { Timeout = TimeSpan.FromMinutes(1) });
        await fake.WhenStarted("slow").Within();
        time.Advance(TimeSpan.FromMinutes(1));

        var result = await run.Within();
        Assert.Equal("workflow timed out after 1m", result.Error);
    }

    [Fact]
    public async Task Cancel_cancels_running_steps_skips_pending_ones_and_ends_the_run_cancelled()
    {
        var fake = new FakeStepExecutor().Hold("slow", "isolated");
        var runner = Runner(fake);
        var workflow = Workflow(
            Step("slow"),
            Step("isolated").WithParallel(new StepParallelOptions { IsolateErrors = true }),
            Step("next", "slow"));

        var run = runner.ExecuteAsync(workflow, new ExecutionOptions { MaxConcurrency = 2 });
        await Task.WhenAll(fake.WhenStarted("slow"), fake.WhenStarted("isolated")).Within();
        runner.Cancel();

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Cancelled, result.Status);
        Assert.False(result.Success);
        Assert.Equal("workflow cancelled", result.Error);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["slow"].Status);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["isolated"].Status);
        Assert.Equal("skipped: workflow cancelled", result.StepResults["next"].SkipReason);
        Assert.Equal(WorkflowStatus.Cancelled, runner.Status);
    }

    [Fact]
    public async Task Cancelling_the_token_ends_the_run_cancelled()
    {
        var fake = new FakeStepExecutor().Hold("slow");
        var runner = Runner(fake);
        using var cts = new CancellationTokenSource();

        var run = runner.ExecuteAsync(Workflow(Step("slow"), Step("next", "slow")), cancellationToken: cts.Token);
        await fake.WhenStarted("slow").Within();
        await cts.CancelAsync();

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["slow"].Status);
        Assert.Equal(StepStatus.Skipped, result.StepResults["next"].Status);
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_no_step()
    {
        var fake = new FakeStepExecutor();

        var result = await Runner(fake).ExecuteAsync(Workflow(Step("a")), cancellationToken: new CancellationToken(true)).Within();

        Assert.Equal(WorkflowStatus.Cancelled, result.Status);
        Assert.Empty(fake.StartOrder);
    }

    [Fact]
    public void Cancel_before_any_run_does_nothing()
    {
        var runner = new WorkflowRunner();

        runner.Cancel();

        Assert.Equal(WorkflowStatus.Pending, runner.Status);
    }
}
