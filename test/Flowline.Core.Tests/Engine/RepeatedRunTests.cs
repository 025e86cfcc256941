using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

/// <summary>A runner reuses what it derived from the definition it ran last (issue 7); a changed definition must not see stale plans.</summary>
public sealed class RepeatedRunTests
{
    [Fact]
    public async Task Runner_running_the_same_definition_again_gives_the_same_results()
    {
        var workflow = Workflow(Step("a"), Step("b", "a"), Step("c", "a", "b"), Step("d"));
        var runner = Runner(new NoOpStepExecutor("fake"));

        var first = await runner.ExecuteAsync(workflow).Within();
        var second = await runner.ExecuteAsync(workflow).Within();

        Assert.True(second.Success);
        Assert.Equal(first.StepResults.Keys, second.StepResults.Keys);
        Assert.Equal(
            first.StepResults.Values.Select(r => (r.Status, r.ParallelGroup)),
            second.StepResults.Values.Select(r => (r.Status, r.ParallelGroup)));
        Assert.Equal(first.ParallelStats.TotalGroups, second.ParallelStats.TotalGroups);
    }

    [Fact]
    public async Task Runner_runs_steps_added_to_the_definitions_list_since_the_last_run()
    {
        var steps = new List<WorkflowStep> { Step("a") };
        var workflow = Workflow() with { Steps = steps };
        var runner = Runner(new NoOpStepExecutor("fake"));
        await runner.ExecuteAsync(workflow).Within();

        steps.Add(Step("b", "a"));
        var result = await runner.ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.Equal(["a", "b"], result.StepResults.Keys);
        Assert.Equal(1, result.StepResults["b"].ParallelGroup);
    }

    [Fact]
    public async Task Runner_honours_a_dependency_added_to_a_steps_list_since_the_last_run()
    {
        var dependsOn = new List<string>();
        var workflow = Workflow(Step("a"), Step("b") with { DependsOn = dependsOn });
        var runner = Runner(new NoOpStepExecutor("fake"));
        var before = await runner.ExecuteAsync(workflow).Within();

        dependsOn.Add("a");
        var after = await runner.ExecuteAsync(workflow).Within();

        Assert.Equal(0, before.StepResults["b"].ParallelGroup);
        Assert.Equal(1, after.StepResults["b"].ParallelGroup);
    }
}
