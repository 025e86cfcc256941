using System.Globalization;
using Flowline.Execution.Script;
using Flowline.Planning;

namespace Flowline.Execution.Slurm;

internal sealed partial class SlurmStepExecutor
{
    /// <summary>How long a job that left Slurm (or ended) may take to show its <c>exit_code</c> file before it counts as lost.</summary>
    public static readonly TimeSpan ExitFileGrace = TimeSpan.FromSeconds(5);

    /// <summary>After a cancel, how long before <c>scancel --signal=KILL</c> follows (Slurm's usual KillWait plus margin).</summary>
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(15);

    /// <summary>After a cancel, how long before Flowline stops waiting and reports the cancel as unconfirmed.</summary>
    public static readonly TimeSpan CancelGiveUp = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan OffsetSaveInterval = TimeSpan.FromSeconds(2);

    private async Task<StepExecutionResult> FollowAsync(SlurmJob job, ScriptStepConfig config, SlurmOptions options, StepExecutionContext context, CancellationToken cancellationToken)
    {
        var runWide = SlurmStep.RunWide(context.Workflow);
        var poll = runWide.PollInterval ?? DefaultPollInterval;
        var queueInterval = runWide.QueueStatInterval ?? DefaultQueueStatInterval;
        var submittedSeen = _time.GetTimestamp();
        var followedSince = _time.GetTimestamp();
        _queue.Follow(job.JobId, queueInterval);
        try
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    if (context.Options.DetachOnCancel)
                    {
                        Tail(job, context, final: false);
                        await SaveOffsetsAsync(job, context, force: true).ConfigureAwait(false);
                        context.Log($"slurm: job {job.JobId} left running (--detach); 'flowline resume' re-attaches to it", LogStream.Info);
                    }
                    else
                    {
                        var stop = await StopAsync(job, context).ConfigureAwait(false);
                        context.Log($"slurm: job {job.JobId} {stop}", LogStream.Info);
                    }

                    throw new OperationCanceledException($"Step '{context.StepId}' was cancelled; Slurm job {job.JobId} was {(context.Options.DetachOnCancel ? "left running" : "cancelled")}.", cancellationToken);
                }

                ReadStarted(job, context);
                Tail(job, context, final: false);
                await SaveOffsetsAsync(job, context, force: false).ConfigureAwait(false);

                if (SlurmJobFolder.ReadSmall(job.Folder.ExitCode) is { } exitText)
                {
                    Tail(job, context, final: true);
                    await SaveOffsetsAsync(job, context, force: true).ConfigureAwait(false);
                    return Finish(job, config, exitText, context);
                }

                var state = _queue.Latest(job.JobId);
                if (state is not null)
                {
                    job.Node ??= state.Nodes.Length > 0 && state.Nodes != "(null)" ? state.Nodes : null;
                    if (state.IsPending && state.Reason != job.LastReason && state.Reason is not ("None" or ""))
                    {
                        job.LastReason = state.Reason;
                        context.Log($"slurm: job {job.JobId} pending ({state.Reason})", LogStream.Info);
                    }

                    if (state.IsStuck)
                    {
                        var stop = await StopAsync(job, context).ConfigureAwait(false);
                        return Failure(job, $"Slurm job {job.JobId} cannot start: it is pending with reason {state.Reason}, which does not clear by itself; it was {stop}.");
                    }
                }

                if (job.SeenStartedAt is null && options.QueueTimeout is { } queueTimeout && _time.GetElapsedTime(submittedSeen) >= queueTimeout)
                {
                    var stop = await StopAsync(job, context).ConfigureAwait(false);
                    return Failure(job, $"Slurm job {job.JobId} waited in the queue longer than slurm.queueTimeout ({Durations.Format(queueTimeout)}){(job.LastReason is null ? "" : $", last with reason {job.LastReason}")}; it was {stop}.") with
                    {
                        Metadata = Metadata(job, extra: ("queueTimedOut", true)),
                    };
                }

                if (job.SeenStartedAt is { } seen && config.Timeout is { } timeout && _time.GetElapsedTime(seen) >= timeout)
                {
                    var stop = await StopAsync(job, context).ConfigureAwait(false);
                    var error = ScriptOutcome.WithStderrTail(
                        $"'{config.Command}' timed out after {Durations.Format(timeout)} (counted from the Slurm job's start) and Slurm job {job.JobId} was {stop}. Raise config.timeout if it needs longer.",
                        job.StderrCapture.ToString());
                    return Failure(job, error) with { Metadata = Metadata(job, extra: ("timedOut", true)) };
                }

                // A job that ended, or that Slurm no longer lists, without an exit code: give the file a grace period
                // (a shared file system may show it late), then report what Slurm said. Never a success.
                var missing = state is { IsTerminal: true } || (state is null && _queue.AnsweredSince(followedSince));
                if (!missing)
                {
                    job.MissingExitSince = null;
                }
                else
                {
                    job.MissingExitSince ??= _time.GetTimestamp();
                    if (_time.GetElapsedTime(job.MissingExitSince.Value) >= ExitFileGrace)
                    {
                        Tail(job, context, final: true);
                        await SaveOffsetsAsync(job, context, force: true).ConfigureAwait(false);
                        var why = state is null
                            ? "Slurm no longer lists it (it may have been purged, or the node lost)"
                            : $"Slurm reports it {state.State}{(state.Reason is "None" or "" ? "" : $" ({state.Reason})")}";
                        return Failure(job, ScriptOutcome.WithStderrTail(
                            $"Slurm job {job.JobId} ended without the exit code Flowline's job wrapper writes: {why}. Its files are in {job.Folder.Path}.",
                            job.StderrCapture.ToString())) with { Metadata = Metadata(job, extra: ("state", state?.State ?? "UNKNOWN")) };
                    }
                }

                await DelayAsync(poll, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _queue.Forget(job.JobId);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop looks at the token itself.
        }
    }

    private void ReadStarted(SlurmJob job, StepExecutionContext context)
    {
        if (job.SeenStartedAt is not null || SlurmJobFolder.ReadSmall(job.Folder.Started) is not { } text)
        {
            return;
        }

        job.SeenStartedAt = _time.GetTimestamp();
        if (SlurmOutput.TryParseStarted(text, out var host, out var startedAt))
        {
            job.StartedAt = startedAt;
            job.Node = host;
            var wait = startedAt - job.Handle.SubmittedAt;
            context.Log(string.Create(CultureInfo.InvariantCulture, $"slurm: job {job.JobId} started on {host} after {Math.Max(0, wait.TotalSeconds):0.0}s in the queue"), LogStream.Info);
        }
    }

    private static void Tail(SlurmJob job, StepExecutionContext context, bool final)
    {
        job.Stdout!.Read(line => context.Log(line, LogStream.Stdout), final);
        job.Stderr!.Read(line => context.Log(line, LogStream.Stderr), final);
    }

    // The offsets go to the store every few seconds while output arrives, so a re-attached run repeats at most a few
    // seconds of lines rather than the whole log, without a database write per poll.
    private async Task SaveOffsetsAsync(SlurmJob job, StepExecutionContext context, bool force)
    {
        var stdout = job.Stdout!.Offset;
        var stderr = job.Stderr!.Offset;
        if ((stdout == job.LastSavedStdout && stderr == job.LastSavedStderr)
            || (!force && _time.GetElapsedTime(job.LastSaveAt) < OffsetSaveInterval))
        {
            return;
        }

        job.Handle = job.Handle with { StdoutOffset = stdout, StderrOffset = stderr };
        job.LastSavedStdout = stdout;
        job.LastSavedStderr = stderr;
        job.LastSaveAt = _time.GetTimestamp();
        await context.SaveHandleAsync(job.Handle.ToJson(), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels the job and waits until it is confirmed over (its exit code written, or Slurm shows a final state),
    /// escalating to SIGKILL after <see cref="KillAfter"/>; returns how it ended, for the log and the error.
    /// </summary>
    private async Task<string> StopAsync(SlurmJob job, StepExecutionContext context)
    {
        var since = _time.GetTimestamp();
        var killed = false;
        await _queue.CancelAsync(job.JobId, kill: false).ConfigureAwait(false);
        while (true)
        {
            Tail(job, context, final: false);
            if (File.Exists(job.Folder.ExitCode) || _queue.Latest(job.JobId) is { IsTerminal: true })
            {
                Tail(job, context, final: true);
                return killed ? "cancelled (killed)" : "cancelled";
            }

            var elapsed = _time.GetElapsedTime(since);
            if (elapsed >= CancelGiveUp)
            {
                return "asked to cancel, but Slurm has not confirmed it; check with squeue and scancel";
            }

            if (!killed && elapsed >= KillAfter)
            {
                killed = true;
                await _queue.CancelAsync(job.JobId, kill: true).ConfigureAwait(false);
            }

            await Task.WhenAny(_queue.RefreshAsync(CancellationToken.None), Task.Delay(DefaultPollInterval, _time)).ConfigureAwait(false);
        }
    }

    private StepExecutionResult Finish(SlurmJob job, ScriptStepConfig config, string exitText, StepExecutionContext context)
    {
        var stdout = job.StdoutCapture.ToString();
        var stderr = job.StderrCapture.ToString();
        string? error = null;
        int? exitCode = null;
        if (!SlurmOutput.TryParseExitCode(exitText, out var code))
        {
            error = $"Slurm job {job.JobId}'s exit_code file holds '{exitText.Trim()}', not a number; its files are in {job.Folder.Path}.";
        }
        else
        {
            exitCode = code;
            if (_queue.Latest(job.JobId) is { State: "OUT_OF_MEMORY" })
            {
                error = $"Slurm job {job.JobId} ran out of memory (OUT_OF_MEMORY); raise slurm.memory.";
            }
            else if (code != 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"'{config.Command}' exited with code {code} (Slurm job {job.JobId}).");
            }
        }

        var result = new StepExecutionResult
        {
            Success = error is null,
            Output = stdout.Trim(),
            Stdout = stdout,
            Stderr = stderr,
            ExitCode = exitCode,
            Error = error is null ? null : ScriptOutcome.WithStderrTail(error, stderr),
            Metadata = Metadata(job),
        };
        return File.Exists(job.Folder.Outputs) ? ScriptOutcome.WithOutputs(result, job.Folder.Outputs, context.Options.OutputLimitBytes) : result;
    }

    private StepExecutionResult Failure(SlurmJob job, string error) => new()
    {
        Success = false,
        Stdout = job.StdoutCapture.ToString(),
        Stderr = job.StderrCapture.ToString(),
        Output = job.StdoutCapture.ToString().Trim(),
        Error = error,
        Metadata = Metadata(job),
    };

    private Dictionary<string, object?> Metadata(SlurmJob job, (string Key, object Value)? extra = null)
    {
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["slurm.jobId"] = job.JobId,
            ["slurm.submittedAt"] = job.Handle.SubmittedAt.ToString("O", CultureInfo.InvariantCulture),
            ["slurm.seenAt"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };

        if (job.Node is not null)
        {
            metadata["slurm.node"] = job.Node;
        }

        if (job.StartedAt is { } started)
        {
            metadata["slurm.startedAt"] = started.ToString("O", CultureInfo.InvariantCulture);
            metadata["slurm.queueWait"] = Math.Round(Math.Max(0, (started - job.Handle.SubmittedAt).TotalSeconds), 3);
            if (FileEnd(job.Folder.ExitCode) is { } ended)
            {
                metadata["slurm.endedAt"] = ended.ToString("O", CultureInfo.InvariantCulture);
                metadata["slurm.runTime"] = Math.Round(Math.Max(0, (ended - started).TotalSeconds), 3);
            }
        }

        if (extra is { } pair)
        {
            metadata[pair.Key] = pair.Value;
        }

        return metadata;
    }

    // When the wrapper wrote exit_code (its last act): the job's end as the compute node saw it.
    private static DateTimeOffset? FileEnd(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }
}
