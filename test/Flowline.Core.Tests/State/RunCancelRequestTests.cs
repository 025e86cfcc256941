using Flowline.Core.Tests.Engine;
using Flowline.State;
using Flowline.Testing;

namespace Flowline.Core.Tests.State;

/// <summary>
/// A cancel request recorded in the store by another process (issue 17): the engine recording the run polls for it
/// and stops the run as Ctrl+C would, and the run is recorded with what started it and who.
/// </summary>
public sealed class RunCancelRequestTests
{
    [Fact]
    public async Task A_cancel_request_in_the_store_stops_the_run_as_a_cancelled_token_would()
    {
        var store = new InMemoryRunStore();
        var fake = new FakeStepExecutor().Hold("a");
        var runner = EngineKit.Runner(fake);
        var workflow = EngineKit.Workflow(EngineKit.Step("a"), EngineKit.Step("b", "a"));

        var running = runner.ExecuteAsync(workflow, new ExecutionOptions { RunStore = store, RunId = "01CANCELLED", Origin = "nightly-job" });
        await fake.WhenStarted("a").Within();
        Assert.True(await store.RequestCancelAsync("01CANCELLED", "tester (alice)", CancellationToken.None));
        var result = await running.Within();

        Assert.Equal(WorkflowStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.StepResults["a"].Status);
        var run = (await store.GetRunAsync("01CANCELLED", CancellationToken.None))!;
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("workflow cancelled by tester (alice)", result.Error);
        Assert.Equal(result.Error, run.Error);
        Assert.Equal(("nightly-job", Environment.UserName), (run.Origin, run.StartedBy));
        Assert.Contains(runner.Context!.GetLogs(), line => line.Text.Contains("cancel requested by tester (alice)", StringComparison.Ordinal));
        Assert.False(await store.RequestCancelAsync("01CANCELLED", "tester", CancellationToken.None));
    }

    [Fact]
    public async Task A_run_without_an_origin_is_recorded_as_started_by_the_library()
    {
        var store = new InMemoryRunStore();

        await EngineKit.Runner(new FakeStepExecutor()).ExecuteAsync(EngineKit.Workflow(EngineKit.Step("a")), new ExecutionOptions { RunStore = store, RunId = "01LIBRARY" }).Within();

        Assert.Equal("library", (await store.GetRunAsync("01LIBRARY", CancellationToken.None))!.Origin);
        Assert.Null(await store.GetCancelRequestAsync("01LIBRARY", CancellationToken.None));
    }
}
