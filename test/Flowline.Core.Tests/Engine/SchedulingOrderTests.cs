using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class SchedulingOrderTests
{
    [Fact]
    public async Task Runner_starts_a_diamond_join_only_after_both_branches_finish()
    {
        var fake = new FakeStepExecutor(behavior: async (_, _, _) =>
        {
            await Task.Yield();
            return StepExecutionResult.Succeeded();
        });
        var workflow = Workflow(Step("a"), Step("b", "a"), Step("c", "a"), Step("d", "b", "c"));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        var events = fake.Events;
        Assert.True(events.IndexOf("b", true) > events.IndexOf("a", false));
        Assert.True(events.IndexOf("c", true) > events.IndexOf("a", false));
        Assert.True(events.IndexOf("d", true) > events.IndexOf("b", false));
        Assert.True(events.IndexOf("d", true) > events.IndexOf("c", false));
        Assert.Equal([0, 1, 1, 2], result.StepResults.Values.Select(r => r.ParallelGroup));
        Assert.Equal(3, result.ParallelStats.TotalGroups);
    }

    [Fact]
    public async Task Runner_runs_a_chain_in_dependency_order_even_when_the_file_lists_it_backwards()
    {
        var fake = new FakeStepExecutor();
        var workflow = Workflow(Step("d", "c"), Step("c", "b"), Step("b", "a"), Step("a"));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.Equal(["a", "b", "c", "d"], fake.StartOrder);
        Assert.Equal(["d", "c", "b", "a"], result.StepResults.Keys);
        Assert.Equal(1, result.ParallelStats.MaxConcurrentSteps);
    }

    [Fact]
    public async Task Runner_starts_a_step_as_soon_as_its_dependencies_finish_while_an_unrelated_slow_step_still_runs()
    {
        var fake = new FakeStepExecutor().Hold("slow");
        var workflow = Workflow(Step("fast"), Step("slow"), Step("next", "fast"));
        var runner = Runner(fake);

        var run = runner.ExecuteAsync(workflow);
        await fake.WhenStarted("next").Within();

        Assert.False(run.IsCompleted);
        Assert.Equal(StepStatus.Running, runner.GetExecutionReport().Steps["slow"]);
        fake.Release("slow");
        var result = await run.Within();
        Assert.True(result.Success);
        Assert.True(fake.Events.IndexOf("next", true) < fake.Events.IndexOf("slow", false));
    }

    [Fact]
    public async Task Runner_starts_the_ready_step_with_the_longest_chain_behind_it_first()
    {
        var fake = new FakeStepExecutor();
        var workflow = Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1 },
            Step("short"),
            Step("long"),
            Step("long-2", "long"),
            Step("other"));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.Equal(["long", "short", "long-2", "other"], fake.StartOrder);
    }

    [Fact]
    public async Task Runner_weighs_the_critical_path_by_expected_durations_when_it_has_them()
    {
        var fake = new FakeStepExecutor();
        var workflow = Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1 },
            Step("short"),
            Step("short-2", "short"),
            Step("long"));
        var durations = new Dictionary<string, TimeSpan>
        {
            ["short"] = TimeSpan.FromMilliseconds(10),
            ["short-2"] = TimeSpan.FromMilliseconds(10),
            ["long"] = TimeSpan.FromMilliseconds(300),
        };

        var counted = new FakeStepExecutor();
        await Runner(counted).ExecuteAsync(workflow).Within();
        var result = await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ExpectedDurations = durations }).Within();

        Assert.True(result.Success);
        Assert.Equal(["short", "short-2", "long"], counted.StartOrder);
        Assert.Equal(["long", "short", "short-2"], fake.StartOrder);
    }

    [Fact]
    public async Task Runner_gives_a_step_without_an_expected_duration_the_median_of_the_known_ones()
    {
        var fake = new FakeStepExecutor();
        var workflow = Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1 },
            Step("r"),
            Step("s"),
            Step("new"),
            Step("q"));
        var durations = new Dictionary<string, TimeSpan>
        {
            ["q"] = TimeSpan.FromSeconds(3),
            ["r"] = TimeSpan.FromSeconds(1),
            ["s"] = TimeSpan.FromSeconds(2),
            ["gone"] = TimeSpan.FromHours(1),
        };

        await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ExpectedDurations = durations }).Within();

        Assert.Equal(["q", "s", "new", "r"], fake.StartOrder);
    }

    [Theory]
    [InlineData(1, new[] { "pooled-1", "pooled-2", "free-1", "free-2", "free-3" })]
    [InlineData(2, new[] { "free-1", "free-2", "free-3", "pooled-1", "pooled-2" })]
    public async Task Runner_starts_the_steps_of_a_pool_whose_work_outlasts_the_rest_first(int poolSize, string[] expected)
    {
        // Two pool steps in a pool of 1 take at least two steps' time whatever happens, more than any free step's path.
        var fake = new FakeStepExecutor();
        var db = new StepParallelOptions { Resource = "db" };
        var workflow = Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1, Resources = new Dictionary<string, int> { ["db"] = poolSize } },
            Step("free-1"),
            Step("free-2"),
            Step("free-3"),
            Step("pooled-1").WithParallel(db),
            Step("pooled-2").WithParallel(db));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.Equal(expected, fake.StartOrder);
    }

    [Theory]
    [InlineData(1, new[] { "m-1", "m-2", "free-1", "free-2", "free-3" })]
    [InlineData(2, new[] { "free-1", "free-2", "free-3", "m-1", "m-2" })]
    public async Task Runner_counts_a_matrix_maxParallel_as_a_pool_whose_work_can_outlast_the_rest(int maxParallel, string[] expected)
    {
        // A first run: every step weighs one. Two instances one at a time take two steps' time, more than any free step's path.
        var fake = new FakeStepExecutor();
        var matrix = Step("m") with
        {
            Matrix = new MatrixOptions { Axes = [new MatrixAxis { Name = "n", Values = [1, 2] }], MaxParallel = maxParallel },
        };
        var workflow = Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 1 },
            Step("free-1"),
            Step("free-2"),
            Step("free-3"),
            matrix);

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.Equal(expected, fake.StartOrder);
    }

    [Fact]
    public async Task Runner_in_sequential_mode_keeps_file_order_whatever_the_expected_durations()
    {
        var fake = new FakeStepExecutor();
        var workflow = Workflow(Step("a"), Step("b"), Step("c"));
        var durations = new Dictionary<string, TimeSpan> { ["c"] = TimeSpan.FromMinutes(5), ["b"] = TimeSpan.FromMinutes(1) };

        await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ParallelEnabled = false, ExpectedDurations = durations }).Within();

        Assert.Equal(["a", "b", "c"], fake.StartOrder);
    }

    [Fact]
    public async Task Runner_in_sequential_mode_starts_ready_steps_in_file_order()
    {
        var fake = new FakeStepExecutor(behavior: async (_, _, _) =>
        {
            await Task.Yield();
            return StepExecutionResult.Succeeded();
        });
        var workflow = Workflow(Step("short"), Step("long"), Step("long-2", "long"), Step("other"));

        var result = await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ParallelEnabled = false }).Within();

        Assert.True(result.Success);
        Assert.Equal(["short", "long", "long-2", "other"], fake.StartOrder);
        Assert.Equal(1, fake.MaxConcurrency());
    }

    [Fact]
    public async Task Runner_runs_one_step_at_a_time_when_the_workflow_disables_parallelism()
    {
        var fake = new FakeStepExecutor(behavior: async (_, _, _) =>
        {
            await Task.Yield();
            return StepExecutionResult.Succeeded();
        });
        var workflow = Workflow(
            new WorkflowParallelOptions { Enabled = false, DefaultMaxConcurrency = 8 },
            Step("a"),
            Step("b"),
            Step("c"),
            Step("d", "a"));

        var result = await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { ParallelEnabled = true }).Within();

        Assert.True(result.Success);
        Assert.Equal(["a", "b", "c", "d"], fake.StartOrder);
        Assert.Equal(1, fake.MaxConcurrency());
        Assert.Equal(1, result.ParallelStats.MaxConcurrentSteps);
    }

    [Fact]
    public async Task Runner_runs_independent_steps_together_when_the_workflow_has_no_parallel_block()
    {
        var fake = new FakeStepExecutor().Hold("a", "b");
        var runner = Runner(fake);

        var run = runner.ExecuteAsync(Workflow(Step("a"), Step("b")), new ExecutionOptions { MaxConcurrency = 2 });
        await Task.WhenAll(fake.WhenStarted("a"), fake.WhenStarted("b")).Within();
        fake.Release("a");
        fake.Release("b");

        var result = await run.Within();
        Assert.Equal(2, result.ParallelStats.MaxConcurrentSteps);
        Assert.Equal(2, fake.MaxConcurrency());
    }
}
