using Flowline.Execution;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
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
        while (!Stopping && _running < _limits.Min && _ready.TryPeek(out var step, out var priority))
        {
            if (_tree.Used >= _globalLimit && !_steps[step].HoldsNoSlot)
            {
                // The limit is the run tree's (issue 14); a workflow step, which holds no slot, may still start.
                return;
            }

            var pool = _steps[step].Pool;
            if (pool < 0 || _pools[pool].Free > 0)
            {
                // A matrix's maxParallel is a pool of its own (issue 13), checked after the step's own resource.
                pool = _steps[step].MatrixPool;
            }

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
            if (!_steps[step].RunsAfterFailure && !IsRetrying(step))
            {
                Settle(step, new StepResult { Status = StepStatus.Skipped, SkipReason = "skipped: " + _stop.Reason(), ParallelGroup = _steps[step].Level });
                Release(step);
                continue;
            }

            var pool = _steps[step].Pool;
            var matrixPool = _steps[step].MatrixPool;
            if ((_tree.Used >= _globalLimit && !_steps[step].HoldsNoSlot) || _running >= _limits.Min || _running >= _steps[step].Limit || (pool >= 0 && _pools[pool].Free == 0)
                || (matrixPool >= 0 && _pools[matrixPool].Free == 0))
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
        var attempt = AttemptOf(index);
        var preparation = attempt == 1 ? _preparation.Prepare(planned, this) : _retries!.Prepared[index];
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

        if (planned.Step.Cache is not null && attempt == 1 && SettledByCache(index, planned, preparation))
        {
            return;
        }

        var step = preparation.Step ?? planned.Step;
        _running++;
        if (!planned.HoldsNoSlot)
        {
            _tree.Used++;
        }

        _peak = Math.Max(_peak, _running);
        if (planned.Pool >= 0)
        {
            _pools[planned.Pool].Free--;
        }

        if (planned.MatrixPool >= 0)
        {
            _pools[planned.MatrixPool].Free--;
        }

        _limits.Add(planned.Limit);
        var now = _time.GetUtcNow();
        _startTimes[index] = now;
        _state.MarkRunning(index);
        if (planned.Step.Retry is { } retry)
        {
            AttemptStarting(index, attempt, retry, preparation);
        }

        _observer.StepStarted(step.Id, now, planned.Level, attempt);

        var token = planned.Isolated || _startedAfterStop[index] ? _abort.Token : _failFast.Token;
        if (planned.EngineTimeout is { } stepTimeout)
        {
            var timeoutSource = new CancellationTokenSource(stepTimeout, _time);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeoutSource.Token);
            _timeoutSources[index] = timeoutSource;
            _linkedSources[index] = linked;
            token = linked.Token;
        }

        var context = new StepExecutionContext(_stepValues, step.Id, preparation.Environment ?? planned.Traits.Environment, attempt, preparation.Renderer);
        Task<StepExecutionResult> task;
        try
        {
            var gate = _observer.StepStartingAsync(step.Id, planned.Level, now, attempt);
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

    /// <summary>Starts the executor once the observers are ready for it (no built-in observer makes a step wait since issue 15).</summary>
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
}
