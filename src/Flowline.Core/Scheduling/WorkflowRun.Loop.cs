using Flowline.Execution;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    /// <summary>Runs the workflow to its end. Never throws for step failures, timeouts or cancellation.</summary>
    public async Task<WorkflowResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        Volatile.Write(ref _runStatus, (int)WorkflowStatus.Running);
        if (_planError is not null)
        {
            Context.Write(null, LogStream.Info, "workflow could not start: " + _planError);
            return Finish(started, _planError);
        }

        CancellationTokenSource? timeout = null;
        CancellationTokenRegistration timeoutRegistration = default;
        if (_workflowTimeout is { } limit)
        {
            timeout = new CancellationTokenSource(limit, _time);
            timeoutRegistration = timeout.Token.UnsafeRegister(static s => ((WorkflowRun)s!).Abort(StopCause.TimedOut), this);
        }

        var cancelRegistration = cancellationToken.UnsafeRegister(static s => ((WorkflowRun)s!).Abort(StopCause.Cancelled), this);
        try
        {
            for (var i = 0; i < _remaining.Length; i++)
            {
                _remaining[i] = _graph.Dependencies[i].Length;
            }

            // Resume (issue #6): kept steps settle first and release their dependents; see WorkflowRun.State.cs.
            var kept = RestoreKeptSteps();
            for (var i = 0; i < _remaining.Length; i++)
            {
                if (_remaining[i] == 0 && (kept is null || !kept[i]))
                {
                    _ready.Enqueue(i, _priorities[i]);
                }
            }

            Dispatch();
            var reader = _completions.Reader;
            while (_running > 0)
            {
                if (reader.TryRead(out var done))
                {
                    Complete(done.Index, done.Task);
                    Dispatch();
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

    private bool Stopping => Volatile.Read(ref _stopCause) != (int)StopCause.None;

    /// <summary>Starts ready steps while the limits allow. Pool-blocked steps are parked; an over-limit exclusive step drains.</summary>
    private void Dispatch()
    {
        DispatchReady();
        if (Stopping)
        {
            DispatchAfterFailure();
        }
    }

    private void DispatchReady()
    {
        while (!Stopping && _running < _globalLimit && _running < _minRunningLimit && _ready.TryPeek(out var step, out var priority))
        {
            var pool = _pools[step];
            if (pool != NoPool && _resourcePools[pool].Free == 0)
            {
                // No head-of-line blocking: park it with its pool; it holds no slot and the next ready step is tried.
                _ready.Dequeue();
                _resourcePools[pool].Waiters.Enqueue(step, priority);
                continue;
            }

            if (_running >= _limits[step])
            {
                // The highest-priority step needs fewer steps around it: start nothing until enough finish, so it is not starved.
                return;
            }

            _ready.Dequeue();
            Start(step);
        }
    }

    /// <summary>
    /// After a fatal failure (issue 4): a ready step whose condition reads another step's outcome is still
    /// prepared and may run (the spec's notify-on-failure); every other ready step ends Skipped at once, so that
    /// its dependents become ready in turn. A cancellation or the workflow timeout starts nothing more.
    /// </summary>
    private void DispatchAfterFailure()
    {
        if ((StopCause)Volatile.Read(ref _stopCause) != StopCause.StepFailed || _abort.IsCancellationRequested)
        {
            return;
        }

        foreach (var pool in _resourcePools)
        {
            while (pool.Waiters.TryDequeue(out var waiter, out var waiterPriority))
            {
                _ready.Enqueue(waiter, waiterPriority);
            }
        }

        List<(int Step, long Priority)>? deferred = null;
        while (_ready.TryDequeue(out var step, out var priority))
        {
            if (!_runsAfterFailure[step])
            {
                Settle(step, new StepResult { Status = StepStatus.Skipped, SkipReason = "skipped: " + StopReason(), ParallelGroup = _levels[step] });
                continue;
            }

            var pool = _pools[step];
            if (_running >= _globalLimit || _running >= _minRunningLimit || _running >= _limits[step] || (pool != NoPool && _resourcePools[pool].Free == 0))
            {
                // Waits for a running step to finish; the next completion dispatches again.
                (deferred ??= []).Add((step, priority));
                continue;
            }

            _startedAfterStop[step] = true;
            Start(step);
        }

        foreach (var (step, priority) in deferred ?? [])
        {
            _ready.Enqueue(step, priority);
        }
    }

    private void Start(int index)
    {
        var preparation = _preparation.Prepare(_steps[index], this);
        if (preparation.Kind == StepPreparationKind.Skip)
        {
            Settle(index, new StepResult { Status = StepStatus.Skipped, SkipReason = preparation.Reason, SkippedByCondition = true, ParallelGroup = _levels[index] });
            return;
        }

        if (preparation.Kind == StepPreparationKind.Fail)
        {
            Settle(index, new StepResult { Status = StepStatus.Failed, Error = preparation.Reason, ParallelGroup = _levels[index] });
            return;
        }

        var step = preparation.Step ?? _steps[index];
        _running++;
        if (_running > _peak)
        {
            _peak = _running;
        }

        if (_pools[index] != NoPool)
        {
            _resourcePools[_pools[index]].Free--;
        }

        if (_limits[index] != Unlimited)
        {
            AddRunningLimit(_limits[index]);
        }

        var now = _time.GetUtcNow();
        _startTimes[index] = now;
        Volatile.Write(ref _status[index], (int)StepStatus.Running);
        _runner.RaiseStepStarted(this, step.Id, now, _levels[index]);

        var token = _isolated[index] || _startedAfterStop[index] ? _abort.Token : _failFast.Token;
        if (_stepTimeouts[index] is { } stepTimeout)
        {
            var timeoutSource = new CancellationTokenSource(stepTimeout, _time);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeoutSource.Token);
            _timeoutSources[index] = timeoutSource;
            _linkedSources[index] = linked;
            token = linked.Token;
        }

        var stepEnv = preparation.Environment ?? (step.Config is ScriptStepConfig script ? script.Env : EmptyMap<string>.Instance);
        var context = new StepExecutionContext(_stepValues, step.Id, stepEnv, 1, preparation.Renderer);

        Task<StepExecutionResult> task;
        try
        {
            task = (Recorder is null ? _executors[index].ExecuteAsync(step, context, token) : ExecuteRecordedAsync(index, step, context, token))
                ?? Task.FromResult(StepExecutionResult.Failed($"the '{step.Type}' executor returned no task"));
        }
#pragma warning disable CA1031 // STYLE rule 10: a throwing executor becomes a failed step, never a crashed run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            task = Task.FromException<StepExecutionResult>(exception);
        }

        if (task.IsCompleted)
        {
            // Synchronous executors (in-process steps) complete inline: no channel hop, no thread switch.
            Complete(index, task);
            return;
        }

        var flight = new InFlight(this, index, task);
        task.ContinueWith(
            static (_, state) => ((InFlight)state!).Post(),
            flight,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Complete(int index, Task<StepExecutionResult> task)
    {
        var end = _time.GetUtcNow();
        var start = _startTimes[index];
        _running--;
        if (_pools[index] != NoPool)
        {
            var pool = _resourcePools[_pools[index]];
            pool.Free++;
            pool.BusyTicks += Math.Max(0, (end - start).Ticks);
            if (pool.Waiters.TryDequeue(out var waiter, out var priority))
            {
                _ready.Enqueue(waiter, priority);
            }
        }

        if (_limits[index] != Unlimited)
        {
            RemoveRunningLimit(_limits[index]);
        }

        var timedOut = _timeoutSources[index]?.IsCancellationRequested == true;
        _linkedSources[index]?.Dispose();
        _timeoutSources[index]?.Dispose();
        _linkedSources[index] = null;
        _timeoutSources[index] = null;
        var cancelled = (_isolated[index] || _startedAfterStop[index] ? _abort : _failFast).IsCancellationRequested;

        StepExecutionResult? outcome = null;
        string? error = null;
        if (task.IsCompletedSuccessfully)
        {
            outcome = task.Result;
            error = outcome is null ? $"the '{_steps[index].Type}' executor returned no result" : outcome.Error;
        }
        else if (task.IsCanceled)
        {
            error = "the executor was cancelled";
        }
        else
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            error = exception.Message;
            if (!cancelled && !timedOut)
            {
                Context.Write(_steps[index].Id, LogStream.Info, $"executor threw {exception.GetType().Name}: {exception.Message}");
            }
        }

        StepStatus status;
        if (outcome is { Success: true })
        {
            status = StepStatus.Completed;
        }
        else if (timedOut && !cancelled)
        {
            status = StepStatus.Failed;
            error = $"timed out after {Durations.Format(_stepTimeouts[index]!.Value)}";
        }
        else if (cancelled)
        {
            status = StepStatus.Cancelled;
            error = "cancelled: " + StopReason();
        }
        else
        {
            status = StepStatus.Failed;
            error ??= $"step '{_steps[index].Id}' failed without giving a reason";
        }

        Settle(index, new StepResult
        {
            Status = status,
            Output = outcome?.Output,
            Error = status == StepStatus.Completed ? null : error,
            ExecutionTime = end - start,
            ParallelGroup = _levels[index],
            StartTime = start,
            EndTime = end,
            Attempts = 1,
            ExitCode = outcome?.ExitCode,
            Stdout = outcome?.Stdout,
            Stderr = outcome?.Stderr,
            Outputs = outcome?.Outputs ?? EmptyMap<string>.Instance,
            Metadata = outcome?.Metadata ?? EmptyMap<object?>.Instance,
        });
    }

    /// <summary>Records a final result, applies the failure policy, and readies the dependents.</summary>
    private void Settle(int index, StepResult result)
    {
        if (result.Status == StepStatus.Failed)
        {
            ApplyFailurePolicy(index, result);
        }

        Volatile.Write(ref _results[index], result);
        Volatile.Write(ref _status[index], (int)result.Status);
        Volatile.Write(ref _finished, _finished + 1);
        if (result.Status == StepStatus.Completed)
        {
            Volatile.Write(ref _completed, _completed + 1);
        }

        _runner.RaiseStepFinished(this, _steps[index].Id, result);

        foreach (var dependent in _graph.Dependents[index])
        {
            // While a fatal failure stops the run, dependents still become ready so DispatchAfterFailure can decide.
            if (--_remaining[dependent] == 0 && (!Stopping || (StopCause)Volatile.Read(ref _stopCause) == StopCause.StepFailed))
            {
                _ready.Enqueue(dependent, _priorities[dependent]);
            }
        }
    }

    private void ApplyFailurePolicy(int index, StepResult result)
    {
        var step = _steps[index];
        Context.Write(step.Id, LogStream.Info, $"step '{step.Id}' failed: {result.Error}");
        if (step.ContinueOnError)
        {
            return;
        }

        if (_options.ContinueOnError)
        {
            _untoleratedFailures.Add(index);
            return;
        }

        if (_fatalStep < 0)
        {
            _fatalStep = index;
        }

        Interlocked.CompareExchange(ref _stopCause, (int)StopCause.StepFailed, (int)StopCause.None);
        if (!_isolated[index])
        {
            // Running steps without isolateErrors are cancelled; isolated ones hold the abort token only.
            _failFast.Cancel();
        }
    }

    private string StopReason() => (StopCause)Volatile.Read(ref _stopCause) switch
    {
        StopCause.StepFailed when _fatalStep >= 0 => $"step '{_steps[_fatalStep].Id}' failed",
        StopCause.Cancelled => "workflow cancelled",
        StopCause.TimedOut => $"workflow timed out after {Durations.Format(_workflowTimeout ?? TimeSpan.Zero)}",
        _ => "the workflow stopped",
    };

    private void AddRunningLimit(int limit)
    {
        _runningLimits[limit] = _runningLimits.GetValueOrDefault(limit) + 1;
        _minRunningLimit = Math.Min(_minRunningLimit, limit);
    }

    private void RemoveRunningLimit(int limit)
    {
        var count = _runningLimits[limit] - 1;
        if (count == 0)
        {
            _runningLimits.Remove(limit);
            _minRunningLimit = _runningLimits.Count == 0 ? Unlimited : _runningLimits.Keys.First();
        }
        else
        {
            _runningLimits[limit] = count;
        }
    }
}
