using Flowline.Core.Tests.Engine;
using Flowline.State;
using Flowline.Testing;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

/// <summary>A recorded run read back as a result and a definition (issue 11: <c>flowline show</c> from the public API).</summary>
public sealed class RunHistoryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_recorded_run_reads_back_as_the_result_the_live_run_returned()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var runner = EngineKit.Runner(new FakeStepExecutor(behavior: (step, _, _) => step.Id == "a"
            ? EngineKit.Fail("exit code 3")
            : Task.FromResult(StepExecutionResult.Succeeded("out of " + step.Id))));
        var workflow = EngineKit.Workflow(EngineKit.Step("a"), EngineKit.Step("b", "a"), EngineKit.Step("c"));

        var live = await runner.ExecuteAsync(workflow, new ExecutionOptions { RunStore = store, ContinueOnError = true }).Within();
        var run = (await store.GetRunAsync(runner.Context!.RunId))!;
        var read = RunHistory.ToResult(run, await store.GetStepsAsync(run.Id));

        Assert.Equal(live.Status, read.Status);
        Assert.Equal(live.StepResults.Keys.Order(), read.StepResults.Keys.Order());
        foreach (var (id, step) in live.StepResults)
        {
            var back = read.StepResults[id];
            Assert.Equal((step.Status, step.Error, step.SkipReason, step.Attempts, step.ParallelGroup), (back.Status, back.Error, back.SkipReason, back.Attempts, back.ParallelGroup));
            Assert.Equal(step.Output, back.Output);
        }

        Assert.Equal(2, read.ParallelStats.TotalGroups);
        Assert.Equal(run.FinishedAt!.Value - run.StartedAt, read.ExecutionTime);
    }

    [Fact]
    public async Task An_interrupted_run_reads_as_failed_with_its_running_step_cancelled_and_its_unstarted_steps_skipped()
    {
        var clock = Clock();
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: clock);
        await store.RunStartedAsync(Run("01DEAD", Start));
        await store.StepChangedAsync(Step("01DEAD", "compile") with { ParallelGroup = 0 });
        await store.StepChangedAsync(Step("01DEAD", "test", StepStatus.Running) with { ParallelGroup = 1 });
        await store.StepChangedAsync(new StepRecord { RunId = "01DEAD", StepId = "lint", Status = StepStatus.Cancelled, Error = "skipped: the run was cancelled" });
        clock.Advance(TimeSpan.FromMinutes(1));

        var run = (await store.GetRunAsync("01DEAD"))!;
        var result = RunHistory.ToResult(run, await store.GetStepsAsync("01DEAD"));

        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal("interrupted: the runner stopped heartbeating at 2026-11-26 02:00:00Z; `flowline resume 01DEAD` continues it", result.Error);
        Assert.Equal((StepStatus.Cancelled, "interrupted: the runner stopped while the step ran"), (result.StepResults["test"].Status, result.StepResults["test"].Error));
        Assert.Equal((StepStatus.Skipped, null, "skipped: the run was cancelled"), (result.StepResults["lint"].Status, result.StepResults["lint"].Error, result.StepResults["lint"].SkipReason));
        Assert.Equal(StepStatus.Completed, result.StepResults["compile"].Status);
        Assert.Equal((2, 1), (result.ParallelStats.TotalGroups, result.ParallelStats.MaxConcurrentSteps));

        // It lasted at least until compile ended (2 s in), not until its first heartbeat, at its start (issue 18).
        Assert.Equal(TimeSpan.FromSeconds(2), result.ExecutionTime);
    }

    [Fact]
    public void The_definition_is_the_recorded_file_while_it_is_unchanged_and_a_stand_in_once_it_changed()
    {
        var path = _folder.Combine("build.yaml");
        File.WriteAllText(path, Workflows.Chain);
        var loaded = WorkflowLoader.LoadFile(path).Definition!;
        var run = Run("R", Start) with { WorkflowPath = path, ContentHash = loaded.Source!.ContentHash };
        StepRecord[] steps = [Step("R", "compile")];

        var same = RunHistory.ToDefinition(run, steps);
        File.AppendAllText(path, "# edited\n");
        var changed = RunHistory.ToDefinition(run, steps);

        Assert.Equal(["compile", "test", "deploy"], same.Steps.Select(s => s.Id));
        Assert.Equal(path, same.Source!.Path);
        Assert.Equal(("build", "1.2.0"), (changed.Name, changed.Version));
        Assert.Equal(["compile"], changed.Steps.Select(s => s.Id));
    }

    [Fact]
    public void A_running_run_whose_heartbeat_is_too_old_is_reported_interrupted()
    {
        var timeout = TimeSpan.FromSeconds(6);

        Assert.Equal(RunStatus.Running, RunHistory.ReportedStatus(RunStatus.Running, Start, Start.AddSeconds(6), timeout));
        Assert.Equal(RunStatus.Interrupted, RunHistory.ReportedStatus(RunStatus.Running, Start, Start.AddSeconds(7), timeout));
        Assert.Equal(RunStatus.Failed, RunHistory.ReportedStatus(RunStatus.Failed, Start, Start.AddHours(1), timeout));
    }
}
