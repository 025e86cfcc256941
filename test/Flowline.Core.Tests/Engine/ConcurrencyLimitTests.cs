using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Engine;

public sealed class ConcurrencyLimitTests
{
    private static FakeStepExecutor YieldingFake() => new(behavior: async (_, _, _) =>
    {
        await Task.Yield();
        await Task.Yield();
        return StepExecutionResult.Succeeded();
    });

    private static WorkflowStep[] Independent(int count, Func<WorkflowStep, WorkflowStep>? shape = null) =>
        [.. Enumerable.Range(0, count).Select(i => (shape ?? (s => s))(Step($"s{i}")))];

    [Fact]
    public async Task Runner_never_runs_more_steps_than_the_global_limit()
    {
        var fake = YieldingFake();

        var result = await Runner(fake).ExecuteAsync(Workflow(Independent(40)), new ExecutionOptions { MaxConcurrency = 3 }).Within();

        Assert.True(result.Success);
        Assert.InRange(fake.MaxConcurrency(), 1, 3);
        Assert.InRange(result.ParallelStats.MaxConcurrentSteps, 1, 3);
    }

    [Fact]
    public async Task Runner_fills_exactly_the_global_limit_and_starts_the_next_step_when_one_finishes()
    {
        var fake = new FakeStepExecutor().Hold("s0", "s1", "s2", "s3");
        var runner = Runner(fake);

        var run = runner.ExecuteAsync(Workflow(Independent(4)), new ExecutionOptions { MaxConcurrency = 3 });
        await Task.WhenAll(fake.WhenStarted("s0"), fake.WhenStarted("s1"), fake.WhenStarted("s2")).Within();
        Assert.False(fake.HasStarted("s3"));
        fake.Release("s1");
        await fake.WhenStarted("s3").Within();
        foreach (var id in new[] { "s0", "s2", "s3" })
        {
            fake.Release(id);
        }

        var result = await run.Within();
        Assert.Equal(3, result.ParallelStats.MaxConcurrentSteps);
        Assert.Equal(3, fake.MaxConcurrency());
    }

    [Fact]
    public async Task Runner_takes_the_global_limit_from_the_workflow_when_the_options_give_none()
    {
        var fake = YieldingFake();
        var workflow = Workflow(new WorkflowParallelOptions { DefaultMaxConcurrency = 2 }, Independent(30));

        var result = await Runner(fake).ExecuteAsync(workflow).Within();

        Assert.True(result.Success);
        Assert.InRange(fake.MaxConcurrency(), 1, 2);
    }

    [Fact]
    public async Task Runner_never_runs_more_steps_of_a_pool_than_its_size()
    {
        var fake = YieldingFake();
        var steps = Independent(30, s => int.Parse(s.Id[1..], System.Globalization.CultureInfo.InvariantCulture) % 3 == 0
            ? s
            : s.WithParallel(new StepParallelOptions { Resource = "cpu" }));
        var workflow = Workflow(new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["cpu"] = 2 } }, steps);
        var cpuSteps = steps.Where(s => s.Parallel?.Resource == "cpu").Select(s => s.Id).ToHashSet();

        var result = await Runner(fake).ExecuteAsync(workflow, new ExecutionOptions { MaxConcurrency = 8 }).Within();

        Assert.True(result.Success);
        Assert.InRange(fake.MaxConcurrency(cpuSteps.Contains), 1, 2);
        Assert.InRange(result.ParallelStats.ResourceUtilization["cpu"], 0, 1);
    }

    [Fact]
    public async Task Runner_does_not_let_a_step_waiting_for_a_pool_hold_a_concurrency_slot()
    {
        var fake = new FakeStepExecutor().Hold("db-1", "free");
        var db = new StepParallelOptions { Resource = "db" };
        var workflow = Workflow(
            new WorkflowParallelOptions { DefaultMaxConcurrency = 2, Resources = new Dictionary<string, int> { ["db"] = 1 } },
            Step("db-1").WithParallel(db),
            Step("db-2").WithParallel(db),
            Step("free"));
        var runner = Runner(fake);

        var run = runner.ExecuteAsync(workflow);
        await Task.WhenAll(fake.WhenStarted("db-1"), fake.WhenStarted("free")).Within();

        Assert.False(fake.HasStarted("db-2"));
        fake.Release("db-1");
        await fake.WhenStarted("db-2").Within();
        fake.Release("free");
        var result = await run.Within();
        Assert.True(result.Success);
        Assert.Equal(1, fake.MaxConcurrency(id => id.StartsWith("db", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Runner_lists_every_pool_in_the_utilization_even_when_no_step_used_it()
    {
        var workflow = Workflow(
            new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["cpu"] = 2, ["network"] = 4 } },
            Step("a").WithParallel(new StepParallelOptions { Resource = "cpu" }));

        var result = await Runner(new FakeStepExecutor()).ExecuteAsync(workflow).Within();

        Assert.Equal(["cpu", "network"], result.ParallelStats.ResourceUtilization.Keys);
        Assert.Equal(0, result.ParallelStats.ResourceUtilization["network"]);
    }

    [Fact]
    public async Task Runner_keeps_a_step_with_max_concurrency_within_its_limit_and_others_within_it_while_it_runs()
    {
        var fake = YieldingFake();
        var steps = Independent(24, s => s.Id is "s5" or "s17" ? s.WithParallel(new StepParallelOptions { MaxConcurrency = 2 }) : s);

        var result = await Runner(fake).ExecuteAsync(Workflow(steps), new ExecutionOptions { MaxConcurrency = 6 }).Within();

        Assert.True(result.Success);
        Assert.InRange(fake.MaxConcurrencyWhile("s5"), 1, 2);
        Assert.InRange(fake.MaxConcurrencyWhile("s17"), 1, 2);
        Assert.InRange(fake.MaxConcurrency(), 1, 6);
    }

    [Fact]
    public async Task Runner_waits_for_room_before_starting_a_step_with_max_concurrency_and_starts_nothing_over_it()
    {
        var fake = new FakeStepExecutor().Hold("a", "b", "c", "limited", "after");
        var workflow = Workflow(
            Step("a"),
            Step("b"),
            Step("c"),
            Step("limited").WithParallel(new StepParallelOptions { MaxConcurrency = 2 }),
            Step("after"));
        var runner = Runner(fake);

        var run = runner.ExecuteAsync(workflow, new ExecutionOptions { MaxConcurrency = 8 });
        await Task.WhenAll(fake.WhenStarted("a"), fake.WhenStarted("b"), fake.WhenStarted("c")).Within();
        Assert.False(fake.HasStarted("limited"));
        fake.Release("a");
        fake.Release("b");
        await fake.WhenStarted("limited").Within();
        Assert.False(fake.HasStarted("after"));
        fake.Release("c");
        await fake.WhenStarted("after").Within();
        fake.Release("limited");
        fake.Release("after");

        var result = await run.Within();
        Assert.True(result.Success);
        Assert.Equal(2, fake.MaxConcurrencyWhile("limited"));
    }

    [Fact]
    public async Task Runner_runs_a_step_with_parallel_disabled_alone()
    {
        var fake = YieldingFake();
        var steps = Independent(12, s => s.Id == "s4" ? s.WithParallel(new StepParallelOptions { Enabled = false }) : s);

        var result = await Runner(fake).ExecuteAsync(Workflow(steps), new ExecutionOptions { MaxConcurrency = 4 }).Within();

        Assert.True(result.Success);
        Assert.Equal(1, fake.MaxConcurrencyWhile("s4"));
    }
}
