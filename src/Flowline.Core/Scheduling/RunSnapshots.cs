using Flowline.State;

namespace Flowline.Scheduling;

/// <summary>Takes snapshots of a run (spec "Context Snapshots"); safe from any thread while the run goes on.</summary>
internal sealed class RunSnapshots(
    WorkflowPlan plan,
    RunState state,
    string runId,
    ExecutionOptions options,
    TimeProvider time,
    Func<IReadOnlyDictionary<string, long>>? logCursor)
{
    private WorkflowPlan _plan = plan;

    /// <summary>The run's plan; set again (before the state grows) when a dynamic matrix adds its instances (issue 13).</summary>
    public WorkflowPlan Plan
    {
        get => Volatile.Read(ref _plan);
        set => Volatile.Write(ref _plan, value);
    }

    public WorkflowSnapshot Create()
    {
        var plan = Plan;
        var steps = new List<StepSnapshot>(state.Count);
        for (var i = 0; i < state.Count; i++)
        {
            var status = state.StatusOf(i);
            var id = plan.Steps[i].Id;
            if (state.ResultOf(i) is { } result)
            {
                steps.Add(StepMapping.ToSnapshot(id, result, state.NeverRan(i), options.OutputLimitBytes));
            }
            else if (status == StepStatus.Running)
            {
                steps.Add(new StepSnapshot { StepId = id, Status = StepStatus.Running, Attempts = 1 });
            }
        }

        var workflow = plan.Workflow;
        return new WorkflowSnapshot
        {
            RunId = runId,
            WorkflowName = workflow.Name,
            WorkflowVersion = workflow.Version,
            WorkflowPath = workflow.Source?.Path is { Length: > 0 } path ? Path.GetFullPath(path) : null,
            ContentHash = workflow.Source?.ContentHash,
            Variables = StateValues.ToElements(options.Variables),
            Status = StateValues.ToRunStatus(state.Status),
            Steps = steps,
            LogCursor = logCursor?.Invoke() ?? EmptyMap<long>.Instance,
            TakenAt = time.GetUtcNow(),
        };
    }
}
