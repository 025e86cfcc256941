using Flowline.Execution;
using Flowline.State;

namespace Flowline.Scheduling;

/// <summary>The run's side of recording, snapshots and resume (issue #6, docs/state.md).</summary>
internal sealed partial class WorkflowRun
{
    private WorkflowSnapshot? _resumeFrom;
    private int _dispatchStarted;

    /// <summary>Records the run; null (the default) when no store is configured, so the hot path pays one null check.</summary>
    public RunRecorder? Recorder { get; set; }

    /// <summary>Shared. Sets the snapshot whose steps the run keeps; only before the run starts.</summary>
    public void RestoreFrom(WorkflowSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Volatile.Read(ref _dispatchStarted) != 0)
        {
            throw new InvalidOperationException(
                "A snapshot can only be restored before the run starts its steps; pass it as ExecutionOptions.ResumeFrom to resume a run.");
        }

        _resumeFrom = snapshot;
    }

    /// <summary>A step skipped because the run stopped (or could not start): it never ran and a resume must run it.</summary>
    public bool SettledByStop(StepResult result) =>
        result.Status == StepStatus.Skipped && result.Attempts == 0 && (Stopping || _planError is not null);

    /// <summary>Shared. The run's state now (spec "Context Snapshots"); safe from any thread while it runs.</summary>
    public WorkflowSnapshot CreateSnapshot()
    {
        var steps = new List<StepSnapshot>(_steps.Count);
        for (var i = 0; i < _steps.Count; i++)
        {
            var status = (StepStatus)Volatile.Read(ref _status[i]);
            if (Volatile.Read(ref _results[i]) is { } result)
            {
                var neverRan = result.Status == StepStatus.Skipped && result.Attempts == 0 && Stopping;
                steps.Add(StepMapping.ToSnapshot(_steps[i].Id, result, neverRan, _options.OutputLimitBytes));
            }
            else if (status == StepStatus.Running)
            {
                steps.Add(new StepSnapshot { StepId = _steps[i].Id, Status = StepStatus.Running, Attempts = 1 });
            }
        }

        var workflow = Context.Workflow;
        return new WorkflowSnapshot
        {
            RunId = Context.RunId,
            WorkflowName = workflow.Name,
            WorkflowVersion = workflow.Version,
            WorkflowPath = workflow.Source?.Path is { Length: > 0 } path ? Path.GetFullPath(path) : null,
            ContentHash = workflow.Source?.ContentHash,
            Variables = StateValues.ToElements(_options.Variables),
            Status = StateValues.ToRunStatus(Status),
            Steps = steps,
            LogCursor = Recorder?.LogCursor() ?? EmptyMap<long>.Instance,
            TakenAt = _time.GetUtcNow(),
        };
    }

    private async Task<StepExecutionResult> ExecuteRecordedAsync(int index, WorkflowStep step, StepExecutionContext context, CancellationToken token)
    {
        // The running row, and every write queued before it (its dependencies' final rows), is committed first.
        await Recorder!.StepStartingAsync(step.Id, _levels[index], _startTimes[index], attempt: 1).ConfigureAwait(false);

        // The step's time starts when its executor does, not when the commit was requested: a slow disk must not make
        // steps look longer, in reports or in the durations later runs order their steps by. Complete reads it after
        // the executor's task completes.
        _startTimes[index] = _time.GetUtcNow();
        var task = _executors[index].ExecuteAsync(step, context, token);
        return task is null
            ? StepExecutionResult.Failed($"the '{step.Type}' executor returned no task")
            : await task.ConfigureAwait(false);
    }

    /// <summary>
    /// Settles the steps a resumed run keeps: completed or skipped in the snapshot, with every dependency kept too
    /// (so a step downstream of one that runs again runs again). Returns which were kept, or null when not resuming.
    /// </summary>
    private bool[]? RestoreKeptSteps()
    {
        Volatile.Write(ref _dispatchStarted, 1);
        var snapshot = _resumeFrom;
        var order = snapshot is null ? null : _graph.TopologicalOrder();
        if (snapshot is null || order is null)
        {
            return null;
        }

        var recorded = new Dictionary<string, StepSnapshot>(StringComparer.Ordinal);
        foreach (var step in snapshot.Steps)
        {
            recorded[step.StepId] = step;
        }

        var kept = new bool[_steps.Count];
        foreach (var i in order)
        {
            if (!recorded.TryGetValue(_steps[i].Id, out var previous) || previous.Status is not (StepStatus.Completed or StepStatus.Skipped))
            {
                continue;
            }

            kept[i] = true;
            foreach (var dependency in _graph.Dependencies[i])
            {
                kept[i] &= kept[dependency];
            }
        }

        for (var i = 0; i < _steps.Count; i++)
        {
            if (!kept[i])
            {
                continue;
            }

            var previous = recorded[_steps[i].Id];
            var result = StepMapping.ToResult(previous) with
            {
                ParallelGroup = _levels[i],
                Metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["keptFromRun"] = snapshot.RunId },
            };
            var status = result.Status;

            Volatile.Write(ref _results[i], result);
            Volatile.Write(ref _status[i], (int)status);
            Volatile.Write(ref _finished, _finished + 1);
            if (status == StepStatus.Completed)
            {
                Volatile.Write(ref _completed, _completed + 1);
            }

            foreach (var dependent in _graph.Dependents[i])
            {
                _remaining[dependent]--;
            }

            Context.Write(_steps[i].Id, LogStream.Info, $"kept from run {snapshot.RunId} ({previous.Status.ToString().ToLowerInvariant()}); not run again");
            _runner.RaiseStepFinished(this, _steps[i].Id, result);
        }

        return kept;
    }
}
