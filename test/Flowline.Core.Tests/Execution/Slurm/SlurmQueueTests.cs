using Flowline.Execution.Slurm;
using Microsoft.Extensions.Time.Testing;

namespace Flowline.Core.Tests.Execution.Slurm;

/// <summary>The shared <c>squeue</c> loop (<see cref="SlurmQueue"/>) against <see cref="FakeSlurm"/>, on a fake clock.</summary>
public sealed class SlurmQueueTests : IAsyncLifetime
{
    private readonly FakeSlurm _slurm = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _slurm.DisposeAsync();

    [Fact]
    public async Task A_loop_whose_jobs_were_all_forgotten_while_it_waited_ends_without_calling_squeue()
    {
        var clock = new FakeTimeProvider();
        var queue = new SlurmQueue(new SlurmClient(_slurm.Commands, TimeProvider.System), clock);
        queue.Follow("1", TimeSpan.FromSeconds(5));
        for (var i = 0; i < 600 && _slurm.SqueueTimes().Length == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Single(_slurm.SqueueTimes());

        // The loop now waits out its interval; the only job ends, then someone asks for a fresh answer.
        queue.Forget("1");
        var refreshed = queue.RefreshAsync(CancellationToken.None);
        for (var i = 0; i < 600 && !refreshed.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        await refreshed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(_slurm.SqueueTimes());
    }
}
