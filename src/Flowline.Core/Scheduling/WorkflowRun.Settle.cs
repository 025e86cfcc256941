using Flowline.Execution;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    private void Complete(int index, Task<StepExecutionResult> task)
    {
        var planned = _steps[index];
        var end = _time.GetUtcNow();
        var start = _startTimes[index];
        _running--;
        if (!planned.HoldsNoSlot)
        {
            _tree.Used--;
            if (_tree.Nested)
            {
                _tree.Freed(this);
            }
        }

        if (planned.Pool >= 0)
        {
            FreeUnit(_pools[planned.Pool], start, end);
        }

        if (planned.MatrixPool >= 0)
        {
            FreeUnit(_pools[planned.MatrixPool], start, end);
        }

        _limits.Remove(planned.Limit);
        var timedOut = _timeoutSources[index]?.IsCancellationRequested == true;
        _linkedSources[index]?.Dispose();
        _timeoutSources[index]?.Dispose();
        _linkedSources[index] = null;
        _timeoutSources[index] = null;
        var cancelled = (planned.Isolated || _startedAfterStop[index] ? _abort : _failFast).IsCancellationRequested;
        var (status, outcome, error) = StepOutcome.Of(planned, task, timedOut, cancelled, _stop, Context);
        var attempt = 1;
        if (planned.Step.Retry is not null && _retries is { } retries)
        {
            // A step with retries spans its attempts and the waits between them; steps.X.output is the last attempt's.
            attempt = retries.Attempts[index];
            if (attempt == 1)
            {
                retries.FirstStarts[index] = start;
            }

            start = retries.FirstStarts[index];
        }

        var result = new StepResult
        {
            Status = status,
            Output = outcome?.Output,
            Error = status == StepStatus.Completed ? null : error,
            ExecutionTime = end - start,
            ParallelGroup = planned.Level,
            StartTime = start,
            EndTime = end,
            Attempts = attempt,
            ExitCode = outcome?.ExitCode,
            Stdout = outcome?.Stdout,
            Stderr = outcome?.Stderr,
            Outputs = outcome?.Outputs ?? EmptyMap<string>.Instance,
            Metadata = outcome?.Metadata ?? EmptyMap<object?>.Instance,
            Cache = _cacheInfos?[index],
        };
        if (status == StepStatus.Failed && planned.Step.Retry is not null && ShouldRetry(index, attempt, outcome, timedOut))
        {
            ScheduleRetry(index, attempt, result);
            return;
        }

        Settle(index, result);
        Release(index);
    }

    private void FreeUnit(ResourcePool pool, DateTimeOffset start, DateTimeOffset end)
    {
        pool.Free++;
        pool.BusyTicks += Math.Max(0, (end - start).Ticks);
        if (pool.Waiters.TryDequeue(out var waiter, out var priority))
        {
            _ready.Enqueue(waiter, priority);
        }
    }

    /// <summary>
    /// The one settle path: applies the failure policy, records the result and tells the observers. A step skipped
    /// without an attempt while the run stops (or because it could not start) never ran: a resume runs it again.
    /// </summary>
    private void Settle(int index, StepResult result, bool couldNotStart = false)
    {
        // Masked once, here: the recorded, reported and shown result, and steps.ID for later steps (issue 13).
        result = _masker.Apply(result);
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
