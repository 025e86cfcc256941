using Flowline.Execution.Processes;
using Flowline.State;
using Microsoft.Data.Sqlite;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

/// <summary>
/// A run recorded on this machine is seen as interrupted as soon as its process is gone, not after the heartbeat
/// timeout (issue 18). Every store here waits an hour for a heartbeat, so only the process check can say so.
/// </summary>
public sealed class RunLivenessTests : IDisposable
{
    private static readonly RunStoreOptions PatientStore = new() { HeartbeatTimeout = TimeSpan.FromHours(1) };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static long StartTimeOfThisProcess()
    {
        Assert.True(ProcStat.TryReadStartTime(Environment.ProcessId, out var start));
        return start;
    }

    private async Task<RunStatus> ReportedStatusOfAsync(RunRecord run)
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, PatientStore, Clock());
        await store.RunStartedAsync(run);
        var listed = await store.ListRunsAsync(new RunQuery { Status = RunStatus.Interrupted });
        var status = (await store.GetRunAsync(run.Id))!.Status;
        Assert.Equal(status == RunStatus.Interrupted, listed.Any(r => r.Id == run.Id));
        return status;
    }

    [Fact]
    public async Task A_run_whose_process_lives_on_this_machine_is_running()
    {
        Assert.NotNull(RunnerProcess.Host); // Linux, as every process test here assumes
        var run = Run("ALIVE", Start) with { Host = RunnerProcess.Host, ProcessId = Environment.ProcessId, ProcessStartTime = StartTimeOfThisProcess() };

        Assert.Equal(RunStatus.Running, await ReportedStatusOfAsync(run));
    }

    [Fact]
    public async Task A_reused_pid_with_another_start_time_is_not_mistaken_for_the_runner()
    {
        Assert.NotNull(RunnerProcess.Host); // Linux, as every process test here assumes
        var run = Run("REUSED", Start) with { Host = RunnerProcess.Host, ProcessId = Environment.ProcessId, ProcessStartTime = StartTimeOfThisProcess() - 1 };

        Assert.Equal(RunStatus.Interrupted, await ReportedStatusOfAsync(run));
    }

    [Fact]
    public async Task A_run_recorded_on_another_machine_falls_back_to_its_heartbeat()
    {
        // The pid and start time would say "gone" here; on its own machine they may be alive.
        var run = Run("ELSEWHERE", Start) with { Host = "another-machine/boot/pid:[1]", ProcessId = Environment.ProcessId, ProcessStartTime = 1 };

        Assert.Equal(RunStatus.Running, await ReportedStatusOfAsync(run));
    }

    [Fact]
    public async Task The_recorder_stamps_the_run_with_its_own_process()
    {
        Assert.NotNull(RunnerProcess.Host); // Linux, as every process test here assumes
        var stamped = RunnerProcess.Stamp(Run("STAMPED", Start));

        Assert.Equal(RunnerProcess.Host, stamped.Host);
        Assert.Equal(Environment.ProcessId, stamped.ProcessId);
        Assert.Equal(StartTimeOfThisProcess(), stamped.ProcessStartTime);
        Assert.Equal(RunStatus.Running, await ReportedStatusOfAsync(stamped));
    }

    [Fact]
    public async Task A_version_2_database_gains_the_process_columns_and_its_runs_keep_the_heartbeat_rule()
    {
        Directory.CreateDirectory(_folder.StateDirectory.Path);
        using (var connection = new SqliteConnection($"Data Source={_folder.StateDirectory.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.MigrationFrom(0) + SqliteSchema.MigrationFrom(1) + """
                PRAGMA user_version = 2;
                INSERT INTO runs (id, workflow_name, workflow_version, status, started_at, heartbeat_at) VALUES ('OLD', 'build', '1', 'running', 0, 0);
                """;
            command.ExecuteNonQuery();
        }

        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, PatientStore, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddMinutes(1)));
        var old = (await store.GetRunAsync("OLD"))!;

        Assert.Equal(RunStatus.Running, old.Status);
        Assert.Null(old.Host);
        Assert.Null(old.ProcessId);
        Assert.Null(old.ProcessStartTime);
        await store.RunStartedAsync(Run("NEW", Start) with { Host = "h", ProcessId = 7, ProcessStartTime = 70 });
        Assert.Equal((7, 70L), ((await store.GetRunAsync("NEW"))!.ProcessId, (await store.GetRunAsync("NEW"))!.ProcessStartTime!.Value));
    }

    [Fact]
    public void An_unfinished_run_lasted_to_its_last_sign_of_life_not_to_its_first_heartbeat()
    {
        var run = Run("KILLED", Start) with { Status = RunStatus.Interrupted, HeartbeatAt = Start.AddMilliseconds(4) };
        var steps = new[] { Step("KILLED", "compile"), Step("KILLED", "test", StepStatus.Running) with { StartedAt = Start.AddSeconds(3) } };

        Assert.Equal(TimeSpan.FromSeconds(3), RunHistory.Duration(run, steps));
        Assert.Equal(TimeSpan.FromSeconds(3), RunHistory.ToResult(run, steps).ExecutionTime);
        Assert.Equal(TimeSpan.FromMilliseconds(4), RunHistory.Duration(run, []));
        Assert.Equal(TimeSpan.FromSeconds(9), RunHistory.Duration(run with { FinishedAt = Start.AddSeconds(9) }, steps));
    }
}
