using Flowline.State;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

public sealed class SqliteRunStoreConcurrencyTests : IDisposable
{
    private const int RunsPerTask = 10;
    private const int StepsPerRun = 4;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Two_stores_on_the_same_file_writing_from_parallel_tasks_both_record_everything()
    {
        await using var first = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        await using var second = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, 6)
            .Select(index => Task.Run(async () =>
            {
                await go.Task;
                await WriteRunsAsync(index % 2 == 0 ? first : second, $"t{index}");
            }))
            .ToArray();
        go.SetResult();
        await Task.WhenAll(writers);

        await using var reader = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        var runs = await reader.ListRunsAsync(new RunQuery { Limit = 0 });
        Assert.Equal(6 * RunsPerTask, runs.Count);
        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
        foreach (var run in runs)
        {
            var steps = await reader.GetStepsAsync(run.Id);
            Assert.Equal(StepsPerRun, steps.Count);
            Assert.All(steps, step => Assert.Equal(StepStatus.Completed, step.Status));
        }
    }

    [Fact]
    public async Task Two_stores_opening_a_fresh_file_at_once_both_see_the_migrated_schema()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var opening = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(async () =>
            {
                await go.Task;
                return await SqliteRunStore.OpenAsync(_folder.StateDirectory);
            }))
            .ToArray();
        go.SetResult();
        var stores = await Task.WhenAll(opening);

        try
        {
            for (var i = 0; i < stores.Length; i++)
            {
                await stores[i].RunStartedAsync(Run($"run{i}", Start));
            }

            Assert.Equal(stores.Length, (await stores[0].ListRunsAsync(new RunQuery { Limit = 0 })).Count);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    internal static async Task WriteRunsAsync(IRunStore store, string prefix)
    {
        for (var run = 0; run < RunsPerTask; run++)
        {
            var id = $"{prefix}-{run}";
            await store.RunStartedAsync(Run(id, Start.AddSeconds(run)), default);
            for (var step = 0; step < StepsPerRun; step++)
            {
                await store.StepChangedAsync(Step(id, $"s{step}", StepStatus.Running), default);
                await store.HeartbeatAsync(id, default);
                await store.StepChangedAsync(Step(id, $"s{step}"), default);
            }

            await store.RunFinishedAsync(id, RunStatus.Completed, null, default);
        }
    }
}
