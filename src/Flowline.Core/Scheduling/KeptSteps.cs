using Flowline.State;

namespace Flowline.Scheduling;

/// <summary>
/// What a resumed run keeps (issue #6, docs/state.md): the steps that completed or were skipped in the snapshot,
/// with every dependency kept too, so that a step downstream of one that runs again runs again.
/// </summary>
internal static class KeptSteps
{
    /// <summary>The kept steps in topological order, each with the result it keeps; empty when nothing is kept.</summary>
    /// <param name="plan">The run's plan.</param>
    /// <param name="snapshot">The run it resumes.</param>
    /// <param name="already">
    /// The steps the run kept (or expanded again) already, after a dynamic matrix expanded (issue 13); they count as kept
    /// and are not listed again. Null at the start of the run.
    /// </param>
    public static IReadOnlyList<(int Index, StepResult Result, StepStatus Recorded)> From(WorkflowPlan plan, WorkflowSnapshot snapshot, bool[]? already = null)
    {
        if (plan.Order is not { } order)
        {
            return [];
        }

        var recorded = new Dictionary<string, StepSnapshot>(StringComparer.Ordinal);
        foreach (var step in snapshot.Steps)
        {
            recorded[step.StepId] = step;
        }

        var kept = new bool[plan.Steps.Count];
        var results = new List<(int, StepResult, StepStatus)>();
        foreach (var i in order)
        {
            if (already is not null && already[i])
            {
                kept[i] = true;
                continue;
            }

            // A dynamic matrix expands again in the resumed run, from the kept output it reads (issue 13).
            if (plan.Steps[i].DynamicMatrix is not null)
            {
                continue;
            }

            if (!recorded.TryGetValue(plan.Steps[i].Id, out var previous) || previous.Status is not (StepStatus.Completed or StepStatus.Skipped))
            {
                continue;
            }

            kept[i] = true;
            foreach (var dependency in plan.Graph.Dependencies[i])
            {
                kept[i] &= kept[dependency];
            }

            if (kept[i])
            {
                results.Add((i, Kept(previous, plan.Steps[i].Level, snapshot.RunId), previous.Status));
            }
        }

        return results;
    }

    private static StepResult Kept(StepSnapshot previous, int level, string runId) =>
        StepMapping.ToResult(previous) with
        {
            ParallelGroup = level,
            Metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["keptFromRun"] = runId },
        };
}
