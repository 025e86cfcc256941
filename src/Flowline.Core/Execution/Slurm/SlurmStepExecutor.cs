using System.Collections;
using System.Collections.Concurrent;
using Flowline.Binding;
using Flowline.Planning;

namespace Flowline.Execution.Slurm;

/// <summary>
/// Runs <c>script</c> steps as Slurm jobs (issue 12, docs/slurm.md): one <c>sbatch</c> per attempt, submitted when the
/// step is ready (the DAG and failure policy stay Flowline's), followed through its files and one <c>squeue</c> per
/// interval for all jobs, cancelled with a batched <c>scancel</c>, and re-attached to by a resumed run.
/// </summary>
internal sealed partial class SlurmStepExecutor : StepExecutor
{
    /// <summary>How often a job's files are checked when the workflow does not say.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often <c>squeue</c> runs when the workflow does not say.</summary>
    public static readonly TimeSpan DefaultQueueStatInterval = TimeSpan.FromSeconds(10);

    /// <summary>Jobs of one run in Slurm at once when the workflow does not say (Nextflow's queueSize).</summary>
    public const int DefaultMaxJobs = 100;

    private readonly SlurmClient _client;
    private readonly SlurmQueue _queue;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, RunGate> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<string?>> _licenses = new(StringComparer.Ordinal);

    /// <summary>The executor with Slurm's commands from <c>FLOWLINE_SLURM_BIN</c> or PATH.</summary>
    public SlurmStepExecutor()
        : this(SlurmCommands.FromEnvironment())
    {
    }

    /// <summary>The executor with the given commands (tests give fakes) and clock.</summary>
    public SlurmStepExecutor(SlurmCommands commands, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _client = new SlurmClient(commands, _time);
        _queue = new SlurmQueue(_client, _time);
    }

    /// <inheritdoc />
    public override string Type => "script";

    /// <inheritdoc />
    public override string Backend => "slurm";

    /// <summary>How many <c>squeue</c> calls this executor made (benchmark figure).</summary>
    public long SqueueCalls => _client.SqueueCalls;

    /// <summary>A Slurm step's timeout is Flowline's to enforce, from the job's start rather than its submission.</summary>
    public override StepTraits Describe(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return base.Describe(step) with { EnforcesTimeout = true, RunsProcess = true };
    }

    /// <inheritdoc />
    public override async Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(context);
        if (step.Config is not ScriptStepConfig config)
        {
            return StepExecutionResult.Failed($"Step '{step.Id}' runs on Slurm but its config is {step.Config.GetType().Name}; only script steps run on Slurm.");
        }

        var options = SlurmStep.Options(context.Workflow, step);
        var workingDirectory = config.WorkingDirectory is null
            ? context.WorkingDirectory
            : Path.GetFullPath(config.WorkingDirectory, context.WorkingDirectory);
        if (!Directory.Exists(workingDirectory))
        {
            return StepExecutionResult.Failed($"Working directory '{workingDirectory}' does not exist. Create it, or fix the step's workingDirectory (relative paths resolve against the workflow file's folder); Slurm steps also need it on a file system the compute nodes share.") with { CouldNotStart = true };
        }

        var license = SlurmStep.License(context.Workflow, step);
        if (license is not null && await CheckLicenseAsync(context.RunId, step.Parallel!.Resource!, license, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return StepExecutionResult.Failed(problem) with { CouldNotStart = true };
        }

        var gate = _gates.AddOrUpdate(
            context.RunId,
            _ => new RunGate(SlurmStep.RunWide(context.Workflow).MaxJobs ?? DefaultMaxJobs),
            (_, existing) => existing.Enter());
        try
        {
            await gate.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var started = await StartOrAttachAsync(config, options, workingDirectory, license, context, cancellationToken).ConfigureAwait(false);
                return started.Job is { } job
                    ? await FollowAsync(job, config, options, context, cancellationToken).ConfigureAwait(false)
                    : started.Failure!;
            }
            finally
            {
                gate.Slots.Release();
            }
        }
        finally
        {
            if (gate.Leave())
            {
                _gates.TryRemove(new KeyValuePair<string, RunGate>(context.RunId, gate));
            }
        }
    }

    // One check per run and license, shared by its steps: it runs to its end (bounded by the call timeout) whatever
    // happens to the step that asked first, and each step stops waiting for it when its own token says so.
    private Task<string?> CheckLicenseAsync(string runId, string pool, string license, CancellationToken cancellationToken) =>
        _licenses.GetOrAdd($"{runId}\n{license}", _ => CheckLicenseOnceAsync(pool, license)).WaitAsync(cancellationToken);

    private async Task<string?> CheckLicenseOnceAsync(string pool, string license)
    {
        var (total, error) = await _client.LicenseTotalAsync(license, CancellationToken.None).ConfigureAwait(false);
        return total switch
        {
            null => $"Pool '{pool}' is Slurm license '{license}', which could not be checked: {error}",
            < 1 => $"Pool '{pool}' is Slurm license '{license}', of which the cluster has none; raise its count in slurm.conf (Licenses={license}:N).",
            _ => null,
        };
    }

    private async Task<(SlurmJob? Job, StepExecutionResult? Failure)> StartOrAttachAsync(
        ScriptStepConfig config,
        SlurmOptions options,
        string workingDirectory,
        string? license,
        StepExecutionContext context,
        CancellationToken cancellationToken)
    {
        if (SlurmHandle.FromJson(context.PreviousHandle) is { } previous)
        {
            // Adopt it first: should this run die too, the next resume still finds the job.
            await context.SaveHandleAsync(previous.ToJson(), CancellationToken.None).ConfigureAwait(false);
            var attached = await AttachAsync(previous, context, cancellationToken).ConfigureAwait(false);
            if (attached.Job is not null || attached.Failure is not null)
            {
                return attached;
            }
        }

        var runRoot = SlurmJobFolder.RunRoot(context.Options, context.WorkingDirectory, context.RunId);
        var folder = SlurmJobFolder.For(runRoot, context.StepId, context.Attempt);
        var script = SlurmJobFolder.EnsureScript(runRoot);
        folder.Prepare([config.Command, .. config.Args], JobEnvironment(context.Environment, context.HiddenEnvironment, folder));
        var handle = new SlurmHandle
        {
            State = SlurmHandle.SubmittingState,
            Folder = folder.Path,
            JobName = $"fl-{context.RunId}",
            Comment = $"flowline:{context.RunId}:{context.StepId}:{context.Attempt}",
            SubmittedAt = _time.GetUtcNow(),
        };

        // Recorded before sbatch runs, so a crash between the two is recovered by name and comment (docs/slurm.md).
        await context.SaveHandleAsync(handle.ToJson(), cancellationToken).ConfigureAwait(false);
        var arguments = SlurmSubmission.Arguments(options, handle, folder, workingDirectory, config.Timeout, license, script, context.Options.KillGracePeriod);
        SlurmSubmitResult submitted;
        try
        {
            submitted = await SubmitAsync(arguments, handle, workingDirectory).ConfigureAwait(false);
        }
        finally
        {
            folder.DeleteEnv();
        }

        if (submitted.JobId is null)
        {
            // Not retried by retry: (a refused submission fails the same way again); transient errors were retried above.
            return (null, StepExecutionResult.Failed($"Slurm did not take the job for '{config.Command}': {submitted.Error}") with { CouldNotStart = true });
        }

        handle = handle with { State = SlurmHandle.SubmittedState, JobId = submitted.JobId, Cluster = submitted.Cluster };
        await context.SaveHandleAsync(handle.ToJson(), CancellationToken.None).ConfigureAwait(false);
        context.Log($"slurm: submitted as job {submitted.JobId}", LogStream.Info);
        return (NewJob(handle, context), null);
    }

    private async Task<(SlurmJob? Job, StepExecutionResult? Failure)> AttachAsync(SlurmHandle previous, StepExecutionContext context, CancellationToken cancellationToken)
    {
        var folder = new SlurmJobFolder(previous.Folder);
        if (previous.State == SlurmHandle.SubmittingState)
        {
            // The id never reached the store: ask Slurm by the job's name and comment before submitting anything.
            var named = await _client.FindByNameAsync(previous.JobName, cancellationToken).ConfigureAwait(false);
            if (named is null)
            {
                return (null, StepExecutionResult.Failed(
                    $"The run being resumed was submitting this step to Slurm when it stopped, and squeue could not be asked whether job '{previous.JobName}' ({previous.Comment}) exists; resume again once Slurm answers, so the step is not submitted twice."));
            }

            var match = named.Values.FirstOrDefault(job => job.Comment == previous.Comment);
            if (match is null)
            {
                if (File.Exists(folder.Started))
                {
                    return (null, StepExecutionResult.Failed(
                        $"The run being resumed submitted this step to Slurm but its job id was lost and Slurm no longer lists it; its files are in {folder.Path}. Run the step again with 'flowline resume --from {context.StepId}'."));
                }

                context.Log("slurm: the resumed run had not submitted this step yet; submitting it now", LogStream.Info);
                return (null, null);
            }

            previous = previous with { State = SlurmHandle.SubmittedState, JobId = match.JobId };
            await context.SaveHandleAsync(previous.ToJson(), CancellationToken.None).ConfigureAwait(false);
        }

        context.Log($"slurm: re-attached to job {previous.JobId}, submitted by the run being resumed", LogStream.Info);
        return (NewJob(previous, context), null);
    }

    // sbatch is retried (three tries, growing pauses) only when the controller did not answer, and only after checking
    // by name and comment that the earlier try did not create the job after all.
    private async Task<SlurmSubmitResult> SubmitAsync(IReadOnlyList<string> arguments, SlurmHandle handle, string workingDirectory)
    {
        var pause = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            var result = await _client.SubmitAsync(arguments, workingDirectory, CancellationToken.None).ConfigureAwait(false);
            if (result.JobId is not null || attempt == 3 || !IsTransient(result.Error))
            {
                return result;
            }

            await Task.Delay(pause, _time).ConfigureAwait(false);
            pause *= 4;
            var named = await _client.FindByNameAsync(handle.JobName, CancellationToken.None).ConfigureAwait(false);
            if (named?.Values.FirstOrDefault(job => job.Comment == handle.Comment) is { } created)
            {
                return SlurmSubmitResult.Submitted(created.JobId, null);
            }
        }
    }

    private static bool IsTransient(string? error) =>
        error is not null
        && (error.Contains("timed out", StringComparison.OrdinalIgnoreCase)
            || error.Contains("Unable to contact slurm controller", StringComparison.OrdinalIgnoreCase)
            || error.Contains("did not answer", StringComparison.OrdinalIgnoreCase));

    private SlurmJob NewJob(SlurmHandle handle, StepExecutionContext context)
    {
        var job = new SlurmJob(handle, context.Options.OutputLimitBytes);
        job.Stdout = new SlurmLogTail(job.Folder.Stdout, handle.StdoutOffset, job.StdoutCapture);
        job.Stderr = new SlurmLogTail(job.Folder.Stderr, handle.StderrOffset, job.StderrCapture);
        job.LastSavedStdout = handle.StdoutOffset;
        job.LastSavedStderr = handle.StderrOffset;
        job.LastSaveAt = _time.GetTimestamp();
        return job;
    }

    /// <summary>
    /// The job's environment: this process's (without Slurm's and sbatch's own variables, which would describe this
    /// process's allocation or act as sbatch options, and without the declared secrets, which reach a step only through
    /// the templates it writes), then the step's, then <c>FLOWLINE_OUTPUT</c> in the job folder.
    /// </summary>
    private static Dictionary<string, string> JobEnvironment(IReadOnlyDictionary<string, string> step, IReadOnlyCollection<string> hidden, SlurmJobFolder folder)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith("SLURM_", StringComparison.Ordinal) && !name.StartsWith("SBATCH_", StringComparison.Ordinal))
            {
                environment[name] = (string?)entry.Value ?? "";
            }
        }

        foreach (var name in hidden)
        {
            environment.Remove(name);
        }

        foreach (var (name, value) in step)
        {
            environment[name] = value;
        }

        environment[OutputFile.Variable] = folder.Outputs;
        return environment;
    }

    /// <summary>One run's cap on jobs in Slurm, shared by its steps and dropped when the last one leaves.</summary>
    private sealed class RunGate(int maxJobs)
    {
        private int _users = 1;

        public SemaphoreSlim Slots { get; } = new(maxJobs, maxJobs);

        public RunGate Enter()
        {
            Interlocked.Increment(ref _users);
            return this;
        }

        public bool Leave() => Interlocked.Decrement(ref _users) == 0;
    }
}
