using System.Collections.ObjectModel;

namespace Flowline.Scheduling;

/// <summary>Decides a finished run's status and error and builds its <see cref="WorkflowResult"/>.</summary>
internal static class RunResultBuilder
{
    public static WorkflowResult Build(
        WorkflowPlan plan,
        RunState state,
        RunStop stop,
        IReadOnlyList<int> untoleratedFailures,
        IReadOnlyList<ResourcePool> pools,
        int peak,
        TimeSpan wall,
        string? planError)
    {
        var (status, error) = planError is not null
            ? (WorkflowStatus.Failed, "the workflow could not start: " + planError)
            : Outcome(plan, state, stop, untoleratedFailures);

        var stepResults = new OrderedDictionary<string, StepResult>(state.Count, StringComparer.Ordinal);
        for (var i = 0; i < state.Count; i++)
        {
            stepResults.TryAdd(plan.Steps[i].Id, state.ResultOf(i)!);
        }

        var utilization = new OrderedDictionary<string, double>(pools.Count, StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            var capacity = (double)pool.Size * wall.Ticks;
            utilization[pool.Name] = capacity <= 0 ? 0 : Math.Clamp(pool.BusyTicks / capacity, 0, 1);
        }

        return new WorkflowResult
        {
            Status = status,
            ExecutionTime = wall,
            Error = error,
            StepResults = new ReadOnlyDictionary<string, StepResult>(stepResults),
            Workflow = plan.MatrixValues.Count > 0 ? plan.Workflow : null,
            ParallelStats = new ParallelStats
            {
                TotalGroups = plan.LevelCount,
                MaxConcurrentSteps = peak,
                ResourceUtilization = new ReadOnlyDictionary<string, double>(utilization),
            },
        };
    }

    private static (WorkflowStatus Status, string? Error) Outcome(WorkflowPlan plan, RunState state, RunStop stop, IReadOnlyList<int> untoleratedFailures)
    {
        switch (stop.Cause)
        {
            case StopCause.Cancelled:
                return (WorkflowStatus.Cancelled, "workflow cancelled");
            case StopCause.TimedOut:
                // Failed, not Cancelled: a timeout is the workflow's own limit, and the CLI exits 1 for it.
                return (WorkflowStatus.Failed, stop.Reason());
            case StopCause.StepFailed when stop.FatalStep >= 0:
                return (WorkflowStatus.Failed, $"step '{plan.Steps[stop.FatalStep].Id}' failed: {state.ResultOf(stop.FatalStep)?.Error}");
        }

        if (untoleratedFailures.Count > 0)
        {
            var ids = untoleratedFailures.Select(i => plan.Steps[i].Id).ToList();
            var noun = ids.Count == 1 ? "step" : "steps";
            return (WorkflowStatus.Failed, $"{ids.Count} {noun} failed: {string.Join(", ", ids)}");
        }

        return (WorkflowStatus.Completed, null);
    }
}
