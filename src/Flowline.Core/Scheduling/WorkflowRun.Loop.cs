using Flowline.Execution;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    /// <summary>Runs the workflow to its end. Never throws for step failures, timeouts or cancellation.</summary>
    public async Task<WorkflowResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        _state.Status = WorkflowStatus.Running;
        if (!_plan.CanRun || StartProblem is not null)
        {
            var planError = StartProblem ?? $"{_plan.Problems[0].Message} ({_plan.Problems[0].Code})";
            Context.Write(null, LogStream.Info, "workflow could not start: " + planError);
            return Finish(started, planError);
        }

        if (_secrets.Missing.Count > 0)
        {
            var missing = _secrets.MissingMessage();
            Context.Write(null, LogStream.Info, "workflow could not start: " + missing);
            return Finish(started, missing);
        }

        if (_stop.WorkflowTimeout > Durations.MaxTimeout)
        {
            // ExecutionOptions.Timeout set in code; a timeout in the file is a plan problem (FL1111) already.
            var tooLong = $"the workflow timeout is {Durations.Format(_stop.WorkflowTimeout.Value)}, longer than the longest Flowline can enforce, {Durations.MaxTimeoutText}; give a shorter one, or none";
            Context.Write(null, LogStream.Info, "workflow could not start: " + tooLong);
            return Finish(started, tooLong);
        }

        CancellationTokenSource? timeout = null;
        CancellationTokenRegistration timeoutRegistration = default;
        if (_stop.WorkflowTimeout is { } limit)
        {
            timeout = new CancellationTokenSource(limit, _time);
            timeoutRegistration = timeout.Token.UnsafeRegister(static s => ((WorkflowRun)s!).Abort(StopCause.TimedOut), this);
        }

        var cancelRegistration = cancellationToken.UnsafeRegister(static s => ((WorkflowRun)s!).Abort(StopCause.Cancelled), this);
        try
        {
            for (var i = 0; i < _remaining.Length; i++)
            {
                _remaining[i] = _plan.Graph.Dependencies[i].Length;
            }

            using (_gate.Enter())
            {
                _tree.Enter(this);
                var kept = KeepFromSnapshot();
                for (var i = 0; i < _remaining.Length; i++)
                {
                    if (_remaining[i] == 0 && (kept is null || !kept[i]))
                    {
                        _ready.Enqueue(i, _priorities[i]);
                    }
                }

                Dispatch();
            }

            var reader = _completions.Reader;
            while (_running > 0 || _retries is { Delaying: > 0 } || WaitsForTree())
            {
                if (reader.TryRead(out var done))
                {
                    // One run tree, one lock (issue 14): a child run's loop and its parent's never interleave.
                    using (_gate.Enter())
                    {
                        if (done.Index < 0)
                        {
                            Woken();
                        }
                        else if (done.Delay is { } delay)
                        {
                            RetryDue(done.Index, delay);
                        }
                        else
                        {
                            Complete(done.Index, done.Task!);
                        }

                        Dispatch();
                    }
                }
                else
                {
                    await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await cancelRegistration.DisposeAsync().ConfigureAwait(false);
            await timeoutRegistration.DisposeAsync().ConfigureAwait(false);
            timeout?.Dispose();
        }

        return Finish(started, null);
    }

    /// <summary>
    /// Resume (issue #6): the steps the snapshot lets the run keep settle first, with their outputs, and release their
    /// dependents. Returns which were kept, or null when not resuming.
    /// </summary>
    private bool[]? KeepFromSnapshot()
    {
        if (_options.ResumeFrom is not { } snapshot)
        {
            return null;
        }

        var kept = _kept = new bool[_steps.Count];
        foreach (var (i, result, recorded) in KeptSteps.From(_plan, snapshot))
        {
            kept[i] = true;
            Context.Write(_steps[i].Id, LogStream.Info, $"kept from run {snapshot.RunId} ({recorded.ToString().ToLowerInvariant()}); not run again");
            Settle(i, result);
            foreach (var dependent in _plan.Graph.Dependents[i])
            {
                _remaining[dependent]--;
            }
        }

        return kept;
    }

    /// <summary>Skips what never started, decides the run's status and builds the result.</summary>
    private WorkflowResult Finish(DateTimeOffset started, string? planError)
    {
        var skipReason = planError is not null ? "skipped: the workflow could not start" : "skipped: " + _stop.Reason();
        WorkflowResult result;
        using (_gate.Enter())
        {
            _tree.Leave(this);
            for (var i = 0; i < _steps.Count; i++)
            {
                if (_state.ResultOf(i) is null)
                {
                    Settle(i, new StepResult { Status = StepStatus.Skipped, SkipReason = skipReason, ParallelGroup = _steps[i].Level }, planError is not null);
                }
            }

            result = WithChildSteps(RunResultBuilder.Build(_plan, _state, _stop, _untoleratedFailures, _pools, _peak, _time.GetUtcNow() - started, planError));
        }

        Volatile.Write(ref _disposed, 1);
        _failFast.Dispose();
        _abort.Dispose();
        _state.Status = result.Status;
        return result;
    }
}
