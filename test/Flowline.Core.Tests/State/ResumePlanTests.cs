using Flowline.Core.Tests.Engine;
using Flowline.State;
using Flowline.Testing;

namespace Flowline.Core.Tests.State;

/// <summary>Planning a resume from the public API (issue 11): the policy <c>flowline resume</c> used to hold.</summary>
public sealed class ResumePlanTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public ResumePlanTests()
    {
        _path = _folder.Combine("build.yaml");
        File.WriteAllText(_path, Workflows.Chain);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_unchanged_file_resumes_keeping_what_completed_with_the_recorded_options()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var (run, snapshot) = await RecordFailedRunAsync(store, "test");

        var plan = ResumePlan.Create(run, snapshot, Load());

        Assert.True(plan.CanResume);
        Assert.Empty(plan.Changes);
        Assert.Same(snapshot, plan.Snapshot);
        Assert.Same(plan.Snapshot, plan.Options.ResumeFrom);
        Assert.Equal((2, true), (plan.Options.MaxConcurrency, plan.Options.ContinueOnError));

        var fake = new FakeStepExecutor("script");
        var runner = EngineKit.Runner(fake);
        var resumed = await runner.ExecuteAsync(Load(), plan.Options with { RunStore = store }).Within();
        var record = await store.GetRunAsync(runner.Context!.RunId);

        Assert.Equal(WorkflowStatus.Completed, resumed.Status);
        Assert.Equal(["test", "deploy"], fake.StartOrder);
        Assert.Equal(run.Id, RecordedOptions.Read(record!.Options).ResumedFrom);
    }

    [Fact]
    public async Task Changed_dependencies_refuse_the_resume_with_the_diff_and_force_runs_the_changed_steps_again()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var (run, snapshot) = await RecordFailedRunAsync(store, "deploy");
        File.WriteAllText(_path, Workflows.Chain.Replace("dependsOn: [test]", "dependsOn: [compile]", StringComparison.Ordinal));

        var refused = ResumePlan.Create(run, snapshot, Load());
        var forced = ResumePlan.Create(run, snapshot, Load(), new ResumeRequest { Force = true });

        Assert.Equal(ResumeRefusal.BreakingChanges, refused.Refusal);
        var change = Assert.Single(refused.Changes);
        Assert.Equal((ResumeChangeKind.DependenciesChanged, "deploy", "~ deploy  dependsOn changed: [test] -> [compile]"), (change.Kind, change.StepId, change.Line));
        Assert.True(forced.CanResume);
        Assert.Equal(refused.Changes, forced.Changes);
        Assert.Equal(["compile", "test"], forced.Snapshot.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task A_removed_step_that_had_a_result_breaks_the_run_and_added_steps_are_listed_beside_it_in_file_order()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var (run, snapshot) = await RecordFailedRunAsync(store, "deploy");
        File.WriteAllText(_path, Workflows.Chain.Replace("id: test\n", "id: check\n", StringComparison.Ordinal).Replace("[test]", "[check]", StringComparison.Ordinal));

        var plan = ResumePlan.Create(run, snapshot, Load());

        Assert.Equal(ResumeRefusal.BreakingChanges, plan.Refusal);
        Assert.Equal(
            ["- test  removed or renamed, but it completed in the run", "+ check  added (it will run)", "~ deploy  dependsOn changed: [test] -> [check]"],
            plan.Changes.Select(c => c.ToString()));
    }

    [Fact]
    public async Task Added_steps_alone_break_nothing()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var (run, snapshot) = await RecordFailedRunAsync(store, "deploy");
        File.AppendAllText(_path, "  - { id: notify, name: notify, type: script, config: { command: \"true\" }, dependsOn: [deploy] }\n");

        var plan = ResumePlan.Create(run, snapshot, Load());

        Assert.True(plan.CanResume);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public async Task From_a_step_drops_it_and_its_downstream_and_an_unknown_step_is_refused()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var (run, snapshot) = await RecordFailedRunAsync(store, "deploy");

        var fromTest = ResumePlan.Create(run, snapshot, Load(), new ResumeRequest { FromStep = "test" });
        var unknown = ResumePlan.Create(run, snapshot, Load(), new ResumeRequest { FromStep = "package" });

        Assert.True(fromTest.CanResume);
        Assert.Equal(["compile"], fromTest.Snapshot.Steps.Select(s => s.StepId));
        Assert.Same(fromTest.Snapshot, fromTest.Options.ResumeFrom);
        Assert.Equal(ResumeRefusal.UnknownFromStep, unknown.Refusal);
    }

    [Fact]
    public async Task A_run_still_heartbeating_is_refused_unless_forced()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var (run, snapshot) = await RecordFailedRunAsync(store, "deploy");
        var alive = run with { Status = RunStatus.Running };

        Assert.Equal(ResumeRefusal.StillRunning, ResumePlan.Create(alive, snapshot, Load()).Refusal);
        Assert.True(ResumePlan.Create(alive, snapshot, Load(), new ResumeRequest { Force = true }).CanResume);
    }

    private WorkflowDefinition Load() => WorkflowLoader.LoadFile(_path).Definition!;

    private async Task<(RunRecord Run, WorkflowSnapshot Snapshot)> RecordFailedRunAsync(SqliteRunStore store, string failing)
    {
        var runner = EngineKit.Runner(new FakeStepExecutor("script", (step, _, _) =>
            step.Id == failing ? EngineKit.Fail("exit code 1") : Task.FromResult(StepExecutionResult.Succeeded())));
        var options = new ExecutionOptions { RunStore = store, MaxConcurrency = 2, ContinueOnError = true };
        var result = await runner.ExecuteAsync(Load(), options).Within();
        Assert.Equal(WorkflowStatus.Failed, result.Status);

        var runId = runner.Context!.RunId;
        return ((await store.GetRunAsync(runId))!, (await store.LoadSnapshotAsync(runId))!);
    }
}
