using System.Collections.Concurrent;
using System.Text;
using Flowline.Execution;
using Flowline.Execution.Slurm;

namespace Flowline.Core.Tests.Execution.Slurm;

/// <summary>
/// The Slurm executor against <see cref="FakeSlurm"/> (issue 12): what it gives sbatch, how it reads odd answers, and
/// how it follows, times out, cancels and re-attaches to jobs. The real cluster's tests are in the CLI tests' Slurm category.
/// </summary>
public sealed class SlurmStepExecutorTests : IAsyncLifetime
{
    private readonly FakeSlurm _slurm = new();
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("flowline-slurm-work-");
    private readonly ConcurrentQueue<(string Line, LogStream Stream)> _log = new();
    private readonly FakeJournal _journal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _slurm.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Arguments_and_environment_arrive_intact_and_the_environment_file_is_private_and_removed()
    {
        var value = "a,b 'single' \"double\" $HOME\nsecond line";
        var result = await RunAsync(
            new ScriptStepConfig { Command = "/bin/bash", Args = ["-c", "printf '[%s]\\n' \"$@\"; printf '%s' \"$ODD\" > odd.txt", "x", "two words", "", "*", "q\"uote"] },
            env: new Dictionary<string, string> { ["ODD"] = value });

        Assert.True(result.Success, result.Error);
        Assert.Equal("[two words]\n[]\n[*]\n[q\"uote]", result.Stdout!.TrimEnd());
        Assert.Equal(value, File.ReadAllText(Path.Combine(_work.FullName, "odd.txt")));
        var (bytes, mode) = _slurm.SbatchEnvironment(1);
        Assert.Equal("600", mode);
        Assert.True(Contains(bytes, Encoding.UTF8.GetBytes("\0ODD=" + value + "\0")), "the environment file holds the value as one NUL-terminated item");
        Assert.Empty(Directory.GetFiles(_work.FullName, "env", SearchOption.AllDirectories));
        Assert.Contains(_log, entry => entry.Stream == LogStream.Stdout && entry.Line == "[two words]");
    }

    [Fact]
    public async Task Sbatch_gets_one_argument_per_value_and_the_slurm_block()
    {
        var workflow = Workflow(new SlurmOptions { Partition = "main", Account = "lab", Qos = "fast", CpusPerTask = 4, MemoryMiB = 4096, Gpus = "a100:2", ExtraArgs = ["--constraint=x y", "--exclusive"] });
        var result = await RunAsync(new ScriptStepConfig { Command = "true", Timeout = TimeSpan.FromSeconds(90) }, workflow: workflow);

        Assert.True(result.Success, result.Error);
        var call = _slurm.SbatchCalls().Single();
        Assert.Equal("--parsable", call[0]);
        foreach (var expected in new[] { "--export=ALL", "--no-requeue", "--open-mode=append", "--partition=main", "--account=lab", "--qos=fast", "--cpus-per-task=4", "--mem=4096M", "--gpus=a100:2", "--constraint=x y", "--exclusive", "--time=4", "--job-name=fl-run-1", "--comment=flowline:run-1:step:1" })
        {
            Assert.Contains(expected, call);
        }

        Assert.Equal(SlurmJobScript.FileName, Path.GetFileName(call[^3]));
        Assert.Equal(result.Metadata["slurm.jobId"], "1");
    }

    [Fact]
    public async Task Exit_code_three_fails_the_step_with_stderr_and_the_job_id()
    {
        var result = await RunAsync(new ScriptStepConfig { Command = "/bin/sh", Args = ["-c", "echo broken >&2; exit 3"] });

        Assert.False(result.Success);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exited with code 3 (Slurm job 1)", result.Error);
        Assert.Contains("broken", result.Error);
    }

    [Fact]
    public async Task Site_chatter_before_the_id_and_a_cluster_suffix_are_read()
    {
        _slurm.SbatchReply("Welcome to the cluster\\n%s;cluster-a");
        var result = await RunAsync(new ScriptStepConfig { Command = "true" });
        Assert.True(result.Success, result.Error);
        Assert.Equal("1", result.Metadata["slurm.jobId"]);
    }

    [Fact]
    public async Task Sbatch_output_without_an_id_fails_the_step_and_says_what_it_printed()
    {
        _slurm.SbatchReply("Submitted batch job %s maybe");
        var result = await RunAsync(new ScriptStepConfig { Command = "true" });
        Assert.False(result.Success);
        Assert.Contains("printed no job id", result.Error);
        Assert.Contains("Submitted batch job 1 maybe", result.Error);
    }

    [Fact]
    public async Task A_refused_submission_fails_the_step_with_slurms_message()
    {
        _slurm.FailSbatch(1, "sbatch: error: Batch job submission failed: Invalid partition name specified");
        var result = await RunAsync(new ScriptStepConfig { Command = "true" });
        Assert.False(result.Success);
        Assert.Contains("Invalid partition name specified", result.Error);
        Assert.Contains("exited with code 1", result.Error);
    }

    [Fact]
    public async Task A_pending_reason_is_logged_and_the_job_runs_once_it_clears()
    {
        _slurm.HoldReason = "Resources";
        var running = RunAsync(new ScriptStepConfig { Command = "true" }, workflow: Workflow(new SlurmOptions { QueueStatInterval = TimeSpan.FromSeconds(1) }));
        await WaitUntil(() => _log.Any(e => e.Line.Contains("pending (Resources)", StringComparison.Ordinal)));
        _slurm.HoldReason = null;
        var result = await running;
        Assert.True(result.Success, result.Error);
        Assert.True(result.Metadata.ContainsKey("slurm.queueWait"));
    }

    [Fact]
    public async Task A_timeout_counts_from_the_start_and_cancels_the_job()
    {
        var result = await RunAsync(new ScriptStepConfig { Command = "sleep", Args = ["60"], Timeout = TimeSpan.FromSeconds(1) });

        Assert.False(result.Success);
        Assert.Equal(true, result.Metadata["timedOut"]);
        Assert.Contains("timed out after 1s", result.Error);
        Assert.Contains(_slurm.ScancelCalls(), call => call.Trim() == "1");
    }

    [Fact]
    public async Task Cancelling_a_running_step_cancels_its_job_once()
    {
        using var cancel = new CancellationTokenSource();
        var running = RunAsync(new ScriptStepConfig { Command = "sleep", Args = ["60"] }, cancellationToken: cancel.Token);
        await WaitUntil(() => _log.Any(e => e.Line.Contains("started on", StringComparison.Ordinal)));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(["1"], _slurm.ScancelCalls().Select(c => c.Trim()));

        // The step ends once the wrapper's exit_code confirms the cancel; the fake controller marks the job a tick later.
        await WaitUntil(() => _slurm.State("1")?.StartsWith("CANCELLED", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Cancelling_a_pending_step_cancels_its_job()
    {
        _slurm.HoldReason = "Priority";
        using var cancel = new CancellationTokenSource();
        var running = RunAsync(new ScriptStepConfig { Command = "true" }, workflow: Workflow(new SlurmOptions { QueueStatInterval = TimeSpan.FromSeconds(1) }), cancellationToken: cancel.Token);
        await WaitUntil(() => _slurm.SbatchCalls().Count == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.StartsWith("CANCELLED", _slurm.State("1"));
    }

    [Fact]
    public async Task Detach_leaves_the_job_running()
    {
        using var cancel = new CancellationTokenSource();
        var running = RunAsync(new ScriptStepConfig { Command = "sleep", Args = ["60"] }, options: new ExecutionOptions { DetachOnCancel = true }, cancellationToken: cancel.Token);
        await WaitUntil(() => _log.Any(e => e.Line.Contains("started on", StringComparison.Ordinal)));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Empty(_slurm.ScancelCalls());
        Assert.StartsWith("RUNNING", _slurm.State("1"));
    }

    [Fact]
    public async Task A_job_that_leaves_slurm_without_an_exit_code_is_a_failure_never_a_success()
    {
        _slurm.PurgeOnEnd = true;
        var result = await RunAsync(KillsItsWrapper, workflow: Workflow(new SlurmOptions { QueueStatInterval = TimeSpan.FromSeconds(1) }));

        Assert.False(result.Success);
        Assert.Contains("ended without the exit code", result.Error);
        Assert.Contains("no longer lists it", result.Error);
    }

    [Fact]
    public async Task Out_of_memory_without_an_exit_code_is_a_failure_that_names_it()
    {
        _slurm.FinalState = "OUT_OF_MEMORY";
        var result = await RunAsync(KillsItsWrapper, workflow: Workflow(new SlurmOptions { QueueStatInterval = TimeSpan.FromSeconds(1) }));

        Assert.False(result.Success);
        Assert.Contains("OUT_OF_MEMORY", result.Error);
    }

    [Fact]
    public async Task The_handle_is_recorded_before_sbatch_and_again_with_the_job_id()
    {
        var result = await RunAsync(new ScriptStepConfig { Command = "true" });

        Assert.True(result.Success, result.Error);
        var states = _journal.Saved.Select(json => SlurmHandle.FromJson(json)!).ToList();
        Assert.Equal(SlurmHandle.SubmittingState, states[0].State);
        Assert.Null(states[0].JobId);
        Assert.Equal(SlurmHandle.SubmittedState, states[1].State);
        Assert.Equal("1", states[1].JobId);
    }

    [Fact]
    public async Task A_crash_between_handle_and_job_id_is_recovered_by_name_and_comment_without_a_second_sbatch()
    {
        var folder = Path.Combine(_work.FullName, "old-attempt");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "stdout"), "done before\n");
        File.WriteAllText(Path.Combine(folder, "exit_code"), "0\n");
        var id = _slurm.AddJob("COMPLETED|None", "flowline:old-run:step:1", "fl-old-run");
        _journal.Previous = new SlurmHandle { State = SlurmHandle.SubmittingState, Folder = folder, JobName = "fl-old-run", Comment = "flowline:old-run:step:1" }.ToJson();

        var result = await RunAsync(new ScriptStepConfig { Command = "true" });

        Assert.True(result.Success, result.Error);
        Assert.Empty(_slurm.SbatchCalls());
        Assert.Equal(id, result.Metadata["slurm.jobId"]);
        Assert.Equal("done before", result.Output);
        Assert.Equal(id, SlurmHandle.FromJson(_journal.Saved[^1])!.JobId);
    }

    [Fact]
    public async Task A_crash_before_sbatch_ran_submits_the_step_once()
    {
        _journal.Previous = new SlurmHandle { State = SlurmHandle.SubmittingState, Folder = Path.Combine(_work.FullName, "never"), JobName = "fl-old-run", Comment = "flowline:old-run:step:1" }.ToJson();

        var result = await RunAsync(new ScriptStepConfig { Command = "true" });

        Assert.True(result.Success, result.Error);
        Assert.Single(_slurm.SbatchCalls());
    }

    [Fact]
    public async Task A_resumed_run_follows_a_submitted_job_from_its_stored_log_offsets()
    {
        _slurm.HoldReason = "Priority";
        var first = RunAsync(new ScriptStepConfig { Command = "/bin/sh", Args = ["-c", "echo one; sleep 1; echo two"] }, options: new ExecutionOptions { DetachOnCancel = true }, cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var handle = _journal.Saved[^1];
        _log.Clear();
        _slurm.HoldReason = null;
        var resumed = new FakeJournal { Previous = handle };

        var result = await RunAsync(new ScriptStepConfig { Command = "/bin/sh", Args = ["-c", "echo one; sleep 1; echo two"] }, journal: resumed);

        Assert.True(result.Success, result.Error);
        Assert.Single(_slurm.SbatchCalls());
        Assert.Contains(_log, e => e.Line.Contains("re-attached to job 1", StringComparison.Ordinal));
        Assert.Equal(["one", "two"], _log.Where(e => e.Stream == LogStream.Stdout).Select(e => e.Line));
    }

    [Fact]
    public async Task A_license_the_cluster_lacks_fails_the_step_before_anything_is_submitted()
    {
        var workflow = Workflow(null) with { Parallel = new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["db"] = 1 }, SlurmLicenses = new Dictionary<string, string> { ["db"] = "dblic" } } };
        var result = await RunAsync(new ScriptStepConfig { Command = "true" }, workflow: workflow, parallel: new StepParallelOptions { Resource = "db" });

        Assert.False(result.Success);
        Assert.Contains("license 'dblic'", result.Error);
        Assert.Empty(_slurm.SbatchCalls());
    }

    [Fact]
    public async Task A_license_backed_pool_asks_slurm_for_the_license()
    {
        _slurm.License("dblic", 1);
        var workflow = Workflow(null) with { Parallel = new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["db"] = 1 }, SlurmLicenses = new Dictionary<string, string> { ["db"] = "dblic" } } };
        var result = await RunAsync(new ScriptStepConfig { Command = "true" }, workflow: workflow, parallel: new StepParallelOptions { Resource = "db" });

        Assert.True(result.Success, result.Error);
        Assert.Contains("--licenses=dblic:1", _slurm.SbatchCalls().Single());
    }

    [Fact]
    public async Task A_step_cancelled_during_the_license_check_does_not_fail_the_check_for_the_others()
    {
        _slurm.License("dblic", 1);
        var executor = new SlurmStepExecutor(_slurm.Commands);
        var workflow = Workflow(new SlurmOptions { PollInterval = TimeSpan.FromMilliseconds(50) }) with
        {
            Parallel = new WorkflowParallelOptions { Resources = new Dictionary<string, int> { ["db"] = 1 }, SlurmLicenses = new Dictionary<string, string> { ["db"] = "dblic" } },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RunAsync(new ScriptStepConfig { Command = "true" }, workflow: workflow, parallel: new StepParallelOptions { Resource = "db" }, cancellationToken: new CancellationToken(true), executor: executor));
        var result = await RunAsync(new ScriptStepConfig { Command = "true" }, workflow: workflow, parallel: new StepParallelOptions { Resource = "db" }, executor: executor);

        Assert.True(result.Success, result.Error);
        Assert.Single(_slurm.SbatchCalls());
    }

    [Fact]
    public async Task Squeue_runs_at_most_once_a_second_however_many_jobs_come_and_go()
    {
        var executor = new SlurmStepExecutor(_slurm.Commands);
        var workflow = Workflow(new SlurmOptions { PollInterval = TimeSpan.FromMilliseconds(20), QueueStatInterval = TimeSpan.FromMilliseconds(1) });

        // Jobs one after another, each submitted just after the queue loop's call that found no job left (so the loop
        // has stopped and a new one starts), then four at once.
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await RunAsync(new ScriptStepConfig { Command = "sleep", Args = ["0.3"] }, workflow: workflow, executor: executor)).Success);
            var calls = _slurm.SqueueTimes().Length;
            for (var wait = 0; wait < 30 && _slurm.SqueueTimes().Length == calls; wait++)
            {
                // Up to 1.5 s for the loop's last call; it may have come already, before the step's result did.
                await Task.Delay(50);
            }

            await Task.Delay(100);
        }

        var together = Enumerable.Range(0, 4).Select(_ => RunAsync(new ScriptStepConfig { Command = "sleep", Args = ["1.5"] }, workflow: workflow, executor: executor));
        Assert.All(await Task.WhenAll(together), result => Assert.True(result.Success, result.Error));

        var times = _slurm.SqueueTimes();
        Assert.True(times.Length >= 2, "squeue never ran");
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a) / 1e9).ToList();
        Assert.True(gaps.Min() >= 0.8, $"two squeue calls {gaps.Min():0.000} s apart (all gaps: {string.Join(", ", gaps.Select(g => g.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})");
    }

    [Fact]
    public async Task Named_outputs_come_back_from_the_job_folder()
    {
        var result = await RunAsync(new ScriptStepConfig { Command = "/bin/sh", Args = ["-c", "echo version=1.2.3 >> \"$FLOWLINE_OUTPUT\""] });
        Assert.True(result.Success, result.Error);
        Assert.Equal("1.2.3", result.Outputs["version"]);
    }

    // Kills the job wrapper outright (as the OOM killer or a lost node would), so no exit_code is ever written.
    private static ScriptStepConfig KillsItsWrapper => new() { Command = "/bin/sh", Args = ["-c", "kill -9 $(cut -d' ' -f4 /proc/$$/stat)"] };

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static WorkflowDefinition Workflow(SlurmOptions? slurm) => new()
    {
        Name = "slurm-test",
        Version = "1.0.0",
        Slurm = slurm,
        Executor = "slurm",
        Steps = [],
    };

    private Task<StepExecutionResult> RunAsync(
        ScriptStepConfig config,
        WorkflowDefinition? workflow = null,
        IReadOnlyDictionary<string, string>? env = null,
        ExecutionOptions? options = null,
        StepParallelOptions? parallel = null,
        FakeJournal? journal = null,
        CancellationToken cancellationToken = default,
        SlurmStepExecutor? executor = null)
    {
        workflow ??= Workflow(new SlurmOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        var step = new WorkflowStep { Id = "step", Name = "step", Type = "script", Config = config, Parallel = parallel };
        workflow = workflow with { Steps = [step] };
        var values = new StepExecutionContext.RunValues("run-1", workflow, _work.FullName, options ?? new ExecutionOptions { KillGracePeriod = TimeSpan.FromSeconds(1) }, TimeProvider.System, null, (line, stream) => _log.Enqueue((line, stream)))
        {
            Journal = journal ?? _journal,
        };
        var context = new StepExecutionContext(values, "step", env ?? new Dictionary<string, string>(), 1);
        return (executor ?? new SlurmStepExecutor(_slurm.Commands)).ExecuteAsync(step, context, cancellationToken);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the condition did not become true within 30 s");
    }

    private sealed class FakeJournal : IRunJournal
    {
        public string? Previous { get; set; }

        public List<string> Saved { get; } = [];

        public string? PreviousHandle(string stepId) => Previous;

        public Task SaveHandleAsync(string stepId, string handle, CancellationToken cancellationToken)
        {
            lock (Saved)
            {
                Saved.Add(handle);
            }

            return Task.CompletedTask;
        }
    }
}
