using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class LargeGraphTests
{
    [Fact]
    public async Task Runner_completes_a_ten_thousand_step_graph_of_no_op_steps()
    {
        // Layers of 100 steps; each depends on its left neighbour's predecessor and the step above it.
        var steps = new WorkflowStep[10_000];
        for (var i = 0; i < steps.Length; i++)
        {
            var dependsOn = new List<string>();
            if (i >= 100)
            {
                dependsOn.Add($"s{i - 100}");
            }

            if (i % 100 != 0 && i >= 101)
            {
                dependsOn.Add($"s{i - 101}");
            }

            steps[i] = Step($"s{i}", [.. dependsOn]) with { Type = "noop" };
        }

        var result = await Runner(new NoOpStepExecutor()).ExecuteAsync(Workflow(steps)).Within();

        Assert.True(result.Success);
        Assert.Equal(10_000, result.StepResults.Count);
        Assert.All(result.StepResults.Values, r => Assert.Equal(StepStatus.Completed, r.Status));
        Assert.Equal(100, result.ParallelStats.TotalGroups);
    }

    [Fact]
    public async Task Runner_completes_a_ten_thousand_step_chain_without_deep_recursion()
    {
        var steps = Enumerable.Range(0, 10_000)
            .Select(i => Step($"s{i}", i == 0 ? [] : [$"s{i - 1}"]) with { Type = "noop" })
            .ToArray();

        var result = await Runner(new NoOpStepExecutor()).ExecuteAsync(Workflow(steps)).Within();

        Assert.True(result.Success);
        Assert.Equal(10_000, result.ParallelStats.TotalGroups);
    }
}
