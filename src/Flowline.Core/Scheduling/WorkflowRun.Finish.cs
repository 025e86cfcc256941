namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    /// <summary>Skips what never started, decides the run's status and builds the result.</summary>
    private WorkflowResult Finish(DateTimeOffset started, string? planError)
    {
        var skipReason = planError is not null ? "skipped: the workflow could not start" : "skipped: " + StopReason();
        for (var i = 0; i < _steps.Count; i++)
        {
            if (_results[i] is null)
            {
                var result = new StepResult { Status = StepStatus.Skipped, SkipReason = skipReason, ParallelGroup = _levels[i] };
                Volatile.Write(ref _results[i], result);
                Volatile.Write(ref _status[i], (int)StepStatus.Skipped);
                Volatile.Write(ref _finished, _finished + 1);
                _runner.RaiseStepFinished(this, _steps[i].Id, result);
            }
        }

        var ended = _time.GetUtcNow();
        var wall = ended - started;
        var (status, error) = planError is not null
            ? (WorkflowStatus.Failed, "the workflow could not start: " + planError)
            : Outcome();

        var stepResults = new OrderedDictionary<string, StepResult>(_steps.Count, StringComparer.Ordinal);
        for (var i = 0; i < _steps.Count; i++)
        {
            stepResults.TryAdd(_steps[i].Id, _results[i]!);
        }

        var utilization = new OrderedDictionary<string, double>(_resourcePools.Length, StringComparer.Ordinal);
        foreach (var pool in _resourcePools)
        {
            var capacity = (double)pool.Size * wall.Ticks;
            utilization[pool.Name] = capacity <= 0 ? 0 : Math.Clamp(pool.BusyTicks / capacity, 0, 1);
        }

        var workflowResult = new WorkflowResult
        {
            Status = status,
            ExecutionTime = wall,
            Error = error,
            StepResults = new System.Collections.ObjectModel.ReadOnlyDictionary<string, StepResult>(stepResults),
            ParallelStats = new ParallelStats
            {
                TotalGroups = _totalGroups,
                MaxConcurrentSteps = _peak,
                ResourceUtilization = new System.Collections.ObjectModel.ReadOnlyDictionary<string, double>(utilization),
            },
        };

        Volatile.Write(ref _disposed, 1);
        _failFast.Dispose();
        _abort.Dispose();
        Volatile.Write(ref _runStatus, (int)status);
        return workflowResult;
    }

    private (WorkflowStatus Status, string? Error) Outcome()
    {
        switch ((StopCause)Volatile.Read(ref _stopCause))
        {
            case StopCause.Cancelled:
                return (WorkflowStatus.Cancelled, "workflow cancelled");
            case StopCause.TimedOut:
                // Failed, not Cancelled: a timeout is the workflow's own limit, and the CLI exits 1 for it.
                return (WorkflowStatus.Failed, StopReason());
            case StopCause.StepFailed when _fatalStep >= 0:
                return (WorkflowStatus.Failed, $"step '{_steps[_fatalStep].Id}' failed: {_results[_fatalStep]?.Error}");
        }

        if (_untoleratedFailures.Count > 0)
        {
            var ids = new List<string>(_untoleratedFailures.Count);
            foreach (var index in _untoleratedFailures)
            {
                ids.Add(_steps[index].Id);
            }

            var noun = ids.Count == 1 ? "step" : "steps";
            return (WorkflowStatus.Failed, $"{ids.Count} {noun} failed: {string.Join(", ", ids)}");
        }

        return (WorkflowStatus.Completed, null);
    }
}
