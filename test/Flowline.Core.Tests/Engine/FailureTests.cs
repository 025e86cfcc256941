using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class FailureTests
{
    private static FakeStepExecutor FailingOn(params string[] ids) =>
        new(behavior: (step, _, _) => ids.Contains(step.Id) ? Fail($"{step.Id} broke") : Task.FromResult(StepExecutionResult.Succeeded()));

    [Fact]
    public async Task Runner_skips_pending_steps_and_fails_the_workflow_when_a_step_fails()
    {
        var fake = FailingOn("build");
        var workflow = Workflow(Step("build"), Step("test", "build"), Step("deploy", "test"));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.False(result.Success);
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal("step 'build' failed: build broke", result.Error);
        Assert.Equal(StepStatus.Failed, result.StepResults["build"].Status);
        Assert.Equal("build broke", result.StepResults["build"].Error);
        Assert.Equal(StepStatus.Skipped, result.StepResults["test"].Status);
        Assert.Equal("skipped: step 'build' failed", result.StepResults["test"].SkipReason);
        Assert.Equal("skipped: step 'build' failed", result.StepResults["deploy"].SkipReason);
        Assert.Equal(["build"], fake.StartOrder);
    }

    [Fact]
    public async Task Runner_starts_no_new_step_after_a_fatal_failure_even_an_independent_one()
    {
        var fake = FailingOn("a");
        var workflow = Workflow(new WorkflowParallelOptions { Enabled = false }, Step("a"), Step("b"));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.Equal(StepStatus.Skipped, result.StepResults["b"].Status);
        Assert.Equal(["a"], fake.StartOrder);
    }

    [Fact]
    public async Task Runner_tolerates_the_failure_of_a_step_with_continue_on_error_and_runs_its_dependents()
    {
        var fake = FailingOn("lint");
        var workflow = Workflow(Step("lint") with { ContinueOnError = true }, Step("build", "lint"));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Null(result.Error);
        Assert.Equal(StepStatus.Failed, result.StepResults["lint"].Status);
        Assert.False(result.StepResults["lint"].Success);
        Assert.Equal(StepStatus.Completed, result.StepResults["build"].Status);
    }

    [Fact]
    public async Task Runner_with_the_continue_on_error_option_runs_every_step_but_fails_the_workflow()
    {
        var fake = FailingOn("a", "c");
        var workflow = Workflow(Step("a"), Step("b", "a"), Step("c"), Step("d", "c", "b"));

        var result = await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ContinueOnError = true }).Within();

        Assert.False(result.Success);
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal("2 steps failed: a, c", result.Error);
        Assert.Equal(4, fake.StartOrder.Count);
        Assert.Equal(StepStatus.Completed, result.StepResults["d"].Status);
    }

    [Fact]
    public async Task Runner_with_the_continue_on_error_option_succeeds_when_only_tolerant_steps_failed()
    {
        var fake = FailingOn("a");
        var workflow = Workflow(Step("a") with { ContinueOnError = true }, Step("b", "a"));

        var result = await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ContinueOnError = true }).Within();

        Assert.True(result.Success);
    }

    [Fact]
    public async Task Runner_turns_an_executor_exception_into_a_failed_step()
    {
        var fake = new FakeStepExecutor(behavior: (step, _, _) =>
            step.Id == "boom" ? throw new InvalidOperationException("database unreachable") : Task.FromResult(StepExecutionResult.Succeeded()));
        var runner = Runner(fake);

        var result = await runner.ExecuteAsync(Workflow(Step("boom"), Step("after", "boom"))).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.StepResults["boom"].Status);
        Assert.Equal("database unreachable", result.StepResults["boom"].Error);
        Assert.Equal(StepStatus.Skipped, result.StepResults["after"].Status);
        Assert.Contains(runner.Context!.GetLogs(), l => l.StepId == "boom" && l.Text.Contains("InvalidOperationException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runner_turns_an_asynchronous_executor_exception_into_a_failed_step()
    {
        var fake = new FakeStepExecutor(behavior: async (_, _, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("late failure");
        });

        var result = await Runner(fake).ExecuteAsync(Workflow(Step("a"))).Within();

        Assert.Equal("late failure", result.StepResults["a"].Error);
        Assert.Equal(1, result.StepResults["a"].Attempts);
    }

    [Fact]
    public async Task Runner_fails_without_running_anything_when_no_executor_is_registered_for_a_step_type()
    {
        var fake = new FakeStepExecutor();
        var workflow = Workflow(Step("a"), Step("migrate") with { Type = "database" });

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("no executor is registered", result.Error, StringComparison.Ordinal);
        Assert.Contains("'database'", result.Error, StringComparison.Ordinal);
        Assert.Empty(fake.StartOrder);
        Assert.All(result.StepResults.Values, r => Assert.Equal(StepStatus.Skipped, r.Status));
    }

    [Fact]
    public async Task Runner_fails_without_running_anything_when_the_steps_form_a_cycle()
    {
        var fake = new FakeStepExecutor();

        var result = await Runner(fake).ExecuteAsync(Workflow(Step("a", "b"), Step("b", "a"))).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("a -> b -> a", result.Error, StringComparison.Ordinal);
        Assert.Empty(fake.StartOrder);
    }

    [Fact]
    public async Task Runner_fails_without_running_anything_when_a_step_names_an_undefined_pool()
    {
        var workflow = Workflow(Step("a").WithParallel(new StepParallelOptions { Resource = "gpu" }));

        var result = await Runner(new FakeStepExecutor()).ExecuteAsync(workflow).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("resource 'gpu'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_fails_without_running_anything_when_two_steps_share_an_id()
    {
        var result = await Runner(new FakeStepExecutor()).ExecuteAsync(Workflow(Step("a"), Step("a"))).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("'a' is used more than once", result.Error, StringComparison.Ordinal);
        Assert.Single(result.StepResults);
    }

    [Fact]
    public async Task Runner_fails_without_running_anything_when_a_step_depends_on_an_unknown_step()
    {
        var result = await Runner(new FakeStepExecutor()).ExecuteAsync(Workflow(Step("a", "ghost"))).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("depends on 'ghost'", result.Error, StringComparison.Ordinal);
    }
}
