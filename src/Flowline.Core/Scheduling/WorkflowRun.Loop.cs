using Flowline.Execution;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    /// <summary>Runs the workflow to its end. Never throws for step failures, timeouts or cancellation.</summary>
    public async Task<WorkflowResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        _state.Status = WorkflowStatus.Running;
        if (!_plan.CanRun)
        {
            var problem = _plan.Problems[0];
            var planError = $"{problem.Message} ({problem.Code})";
            Context.Write(null, LogStream.Info, "workflow could not start: " + planError);
            return Finish(started, planError);
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

            var kept = KeepFromSnapshot();
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

        var kept = new bool[_steps.Count];
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
        for (var i = 0; i < _steps.Count; i++)
        {
            if (_state.ResultOf(i) is null)
            {
                Settle(i, new StepResult { Status = StepStatus.Skipped, SkipReason = skipReason, ParallelGroup = _steps[i].Level }, planError is not null);
            }
        }

        var result = RunResultBuilder.Build(_plan, _state, _stop, _untoleratedFailures, _pools, _peak, _time.GetUtcNow() - started, planError);
        Volatile.Write(ref _disposed, 1);
        _failFast.Dispose();
        _abort.Dispose();
        _state.Status = result.Status;
        return result;
    }

    private bool Stopping => _stop.Stopping;

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
        while (!Stopping && _running < _globalLimit && _running < _limits.Min && _ready.TryPeek(out var step, out var priority))
        {
            var pool = _steps[step].Pool;
            if (pool >= 0 && _pools[pool].Free == 0)
            {
                // No head-of-line blocking: park it with its pool; it holds no slot and the next ready step is tried.
                _ready.Dequeue();
                _pools[pool].Waiters.Enqueue(step, priority);
                continue;
            }

            if (_running >= _steps[step].Limit)
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
        if (_stop.Cause != StopCause.StepFailed || _abort.IsCancellationRequested)
        {
            return;
        }

        foreach (var pool in _pools)
        {
            while (pool.Waiters.TryDequeue(out var waiter, out var waiterPriority))
            {
                _ready.Enqueue(waiter, waiterPriority);
            }
        }

        List<(int Step, long Priority)>? deferred = null;
        while (_ready.TryDequeue(out var step, out var priority))
        {
            if (!_steps[step].RunsAfterFailure)
            {
                Settle(step, new StepResult { Status = StepStatus.Skipped, SkipReason = "skipped: " + _stop.Reason(), ParallelGroup = _steps[step].Level });
                Release(step);
                continue;
            }

            var pool = _steps[step].Pool;
            if (_running >= _globalLimit || _running >= _limits.Min || _running >= _steps[step].Limit || (pool >= 0 && _pools[pool].Free == 0))
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
        var planned = _steps[index];
        var preparation = _preparation.Prepare(planned, this);
        if (preparation.Kind == StepPreparationKind.Skip)
        {
            Settle(index, new StepResult { Status = StepStatus.Skipped, SkipReason = preparation.Reason, SkippedByCondition = true, ParallelGroup = planned.Level });
            Release(index);
            return;
        }

        if (preparation.Kind == StepPreparationKind.Fail)
        {
            Settle(index, new StepResult { Status = StepStatus.Failed, Error = preparation.Reason, ParallelGroup = planned.Level });
            Release(index);
            return;
        }

        var step = preparation.Step ?? planned.Step;
        _running++;
        _peak = Math.Max(_peak, _running);
        if (planned.Pool >= 0)
        {
            _pools[planned.Pool].Free--;
        }

        _limits.Add(planned.Limit);
        var now = _time.GetUtcNow();
        _startTimes[index] = now;
        _state.MarkRunning(index);
        _observer.StepStarted(step.Id, now, planned.Level);

        var token = planned.Isolated || _startedAfterStop[index] ? _abort.Token : _failFast.Token;
        if (planned.EngineTimeout is { } stepTimeout)
        {
            var timeoutSource = new CancellationTokenSource(stepTimeout, _time);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeoutSource.Token);
            _timeoutSources[index] = timeoutSource;
            _linkedSources[index] = linked;
            token = linked.Token;
        }

        var context = new StepExecutionContext(_stepValues, step.Id, preparation.Environment ?? planned.Traits.Environment, 1, preparation.Renderer);
        Task<StepExecutionResult> task;
        try
        {
            var gate = _observer.StepStartingAsync(step.Id, planned.Level, now, attempt: 1);
            task = gate.IsCompletedSuccessfully
                ? planned.Executor!.ExecuteAsync(step, context, token) ?? NoTask(step)
                : ExecuteAfterAsync(gate, index, step, context, token);
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

    private static Task<StepExecutionResult> NoTask(WorkflowStep step) =>
        Task.FromResult(StepExecutionResult.Failed($"the '{step.Type}' executor returned no task"));

    /// <summary>Starts the executor once the observers are ready for it (the store has committed the step's running row).</summary>
    private async Task<StepExecutionResult> ExecuteAfterAsync(ValueTask gate, int index, WorkflowStep step, StepExecutionContext context, CancellationToken token)
    {
        await gate.ConfigureAwait(false);

        // The step's time starts when its executor does, not when the commit was requested: a slow disk must not make
        // steps look longer, in reports or in the durations later runs order their steps by. Complete reads it after
        // the executor's task completes.
        _startTimes[index] = _time.GetUtcNow();
        var task = _steps[index].Executor!.ExecuteAsync(step, context, token);
        return task is null ? await NoTask(step).ConfigureAwait(false) : await task.ConfigureAwait(false);
    }

    private void Complete(int index, Task<StepExecutionResult> task)
    {
        var planned = _steps[index];
        var end = _time.GetUtcNow();
        var start = _startTimes[index];
        _running--;
        if (planned.Pool >= 0)
        {
            var pool = _pools[planned.Pool];
            pool.Free++;
            pool.BusyTicks += Math.Max(0, (end - start).Ticks);
            if (pool.Waiters.TryDequeue(out var waiter, out var priority))
            {
                _ready.Enqueue(waiter, priority);
            }
        }

        _limits.Remove(planned.Limit);
        var timedOut = _timeoutSources[index]?.IsCancellationRequested == true;
        _linkedSources[index]?.Dispose();
        _timeoutSources[index]?.Dispose();
        _linkedSources[index] = null;
        _timeoutSources[index] = null;
        var cancelled = (planned.Isolated || _startedAfterStop[index] ? _abort : _failFast).IsCancellationRequested;
        var (status, outcome, error) = StepOutcome.Of(planned, task, timedOut, cancelled, _stop, Context);
        Settle(index, new StepResult
        {
            Status = status,
            Output = outcome?.Output,
            Error = status == StepStatus.Completed ? null : error,
            ExecutionTime = end - start,
            ParallelGroup = planned.Level,
            StartTime = start,
            EndTime = end,
            Attempts = 1,
            ExitCode = outcome?.ExitCode,
            Stdout = outcome?.Stdout,
            Stderr = outcome?.Stderr,
            Outputs = outcome?.Outputs ?? EmptyMap<string>.Instance,
            Metadata = outcome?.Metadata ?? EmptyMap<object?>.Instance,
        });
        Release(index);
    }

    /// <summary>
    /// The one settle path: applies the failure policy, records the result and tells the observers. A step skipped
    /// without an attempt while the run stops (or because it could not start) never ran: a resume runs it again.
    /// </summary>
    private void Settle(int index, StepResult result, bool couldNotStart = false)
    {
        var neverRan = result.Status == StepStatus.Skipped && result.Attempts == 0 && (Stopping || couldNotStart);
        if (result.Status == StepStatus.Failed)
        {
            ApplyFailurePolicy(index, result);
        }

        _state.Record(index, result, neverRan);
        _observer.StepFinished(_steps[index].Id, result, neverRan);
    }

    /// <summary>Readies the dependents whose last dependency this was.</summary>
    private void Release(int index)
    {
        foreach (var dependent in _plan.Graph.Dependents[index])
        {
            // While a fatal failure stops the run, dependents still become ready so DispatchAfterFailure can decide.
            if (--_remaining[dependent] == 0 && (!Stopping || _stop.Cause == StopCause.StepFailed))
            {
                _ready.Enqueue(dependent, _priorities[dependent]);
            }
        }
    }

    private void ApplyFailurePolicy(int index, StepResult result)
    {
        var step = _steps[index].Step;
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

        if (_stop.FatalStep < 0)
        {
            _stop.FatalStep = index;
        }

        _stop.Set(StopCause.StepFailed);
        if (!_steps[index].Isolated)
        {
            // Running steps without isolateErrors are cancelled; isolated ones hold the abort token only.
            _failFast.Cancel();
        }
    }
}
