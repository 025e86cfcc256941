using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

/// <summary>One test per row of the isolateErrors table in docs/scheduling.md.</summary>
public sealed class IsolateErrorsTests
{
    private static async Task<WorkflowResult> RunAsync(bool failingIsolated, bool runningIsolated)
    {
        var fake = new FakeStepExecutor(behavior: async (step, _, _) =>
        {
            await Task.Yield();
            return StepExecutionResult.Failed("exit code 1");
        }).Hold("running");
        var workflow = Workflow(
            Step("running").WithParallel(new StepParallelOptions { IsolateErrors = runningIsolated }),
            Step("failing").WithParallel(new StepParallelOptions { IsolateErrors = failingIsolated }),
            Step("pending", "running"));
        var runner = Runner(fake);
        var failed = runner.WhenFinished("failing");

        var run = runner.ExecuteAsync(workflow, new ExecutionOptions { MaxConcurrency = 4 });
        Assert.Equal(StepStatus.Failed, (await failed.Within()).Status);
        if (failingIsolated || runningIsolated)
        {
            Assert.False(run.IsCompleted);
            Assert.Equal(StepStatus.Running, runner.GetExecutionReport().Steps["running"]);
            fake.Release("running");
        }

        var result = await run.Within();
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal("skipped: step 'failing' failed", result.StepResults["pending"].SkipReason);
        return result;
    }

    [Fact]
    public async Task Fatal_failure_of_a_step_cancels_running_steps_when_neither_isolates_errors()
    {
        var result = await RunAsync(failingIsolated: false, runningIsolated: false);

        Assert.Equal(StepStatus.Cancelled, result.StepResults["running"].Status);
        Assert.Equal("cancelled: step 'failing' failed", result.StepResults["running"].Error);
    }

    [Fact]
    public async Task Fatal_failure_of_a_step_that_isolates_errors_lets_running_steps_finish()
    {
        var result = await RunAsync(failingIsolated: true, runningIsolated: false);

        Assert.Equal(StepStatus.Completed, result.StepResults["running"].Status);
    }

    [Fact]
    public async Task Fatal_failure_of_a_step_lets_a_running_step_that_isolates_errors_finish()
    {
        var result = await RunAsync(failingIsolated: false, runningIsolated: true);

        Assert.Equal(StepStatus.Completed, result.StepResults["running"].Status);
    }

    [Fact]
    public async Task Fatal_failure_lets_running_steps_finish_when_both_isolate_errors()
    {
        var result = await RunAsync(failingIsolated: true, runningIsolated: true);

        Assert.Equal(StepStatus.Completed, result.StepResults["running"].Status);
    }
}
