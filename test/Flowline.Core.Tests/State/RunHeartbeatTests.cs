using System.Threading.Channels;
using Flowline.State;
using Flowline.Testing;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

public sealed class RunHeartbeatTests
{
    // A bound on a hung loop, not a timing assertion.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_heartbeat_keeps_a_run_running_and_a_stopped_one_becomes_interrupted()
    {
        var time = Clock();
        var probe = new HeartbeatProbe(new InMemoryRunStore(timeProvider: time));
        await probe.RunStartedAsync(Run("R", Start), default);
        using var timeout = new CancellationTokenSource(Bound);

        var heartbeat = RunHeartbeat.Start(probe, "R", TimeSpan.FromSeconds(2), time);
        for (var beat = 0; beat < 5; beat++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal("R", await probe.Beats.ReadAsync(timeout.Token));
        }

        Assert.Equal(RunStatus.Running, (await probe.GetRunAsync("R", default))!.Status);

        await heartbeat.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.False(probe.Beats.TryRead(out _));
        Assert.Equal(RunStatus.Interrupted, (await probe.GetRunAsync("R", default))!.Status);
    }

    [Fact]
    public async Task A_failed_heartbeat_does_not_stop_the_next_one()
    {
        var time = Clock();
        var probe = new HeartbeatProbe(new InMemoryRunStore(timeProvider: time)) { FailuresLeft = 1 };
        using var timeout = new CancellationTokenSource(Bound);

        await using var heartbeat = RunHeartbeat.Start(probe, "R", TimeSpan.FromSeconds(2), time);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("failed", await probe.Beats.ReadAsync(timeout.Token));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("R", await probe.Beats.ReadAsync(timeout.Token));
    }

    private sealed class HeartbeatProbe(IRunStore inner) : IRunStore
    {
        private readonly Channel<string> _beats = Channel.CreateUnbounded<string>();

        public int FailuresLeft { get; set; }

        public ChannelReader<string> Beats => _beats.Reader;

        public async Task HeartbeatAsync(string runId, CancellationToken cancellationToken)
        {
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                _beats.Writer.TryWrite("failed");
                throw new RunStoreException("locked", "(probe)");
            }

            await inner.HeartbeatAsync(runId, cancellationToken);
            _beats.Writer.TryWrite(runId);
        }

        public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken) => inner.RunStartedAsync(run, cancellationToken);

        public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken) => inner.StepChangedAsync(step, cancellationToken);

        public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken) =>
            inner.RunFinishedAsync(runId, status, error, cancellationToken);

        public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken) => inner.GetRunAsync(runId, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

        public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken) => inner.GetStepsAsync(runId, cancellationToken);

        public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken) => inner.PruneAsync(options, cancellationToken);

        public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken) => inner.LoadSnapshotAsync(runId, cancellationToken);
    }
}
