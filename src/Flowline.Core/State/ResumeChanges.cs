namespace Flowline.State;

/// <summary>What a changed workflow file means for resuming a run (docs/state.md "Resume"); used by <see cref="ResumePlan"/>.</summary>
internal static class ResumeChanges
{
    /// <summary>
    /// The changes that break the run: steps with a result that are gone (removed or renamed), and steps whose
    /// dependencies changed; added steps are listed beside them. Added steps alone break nothing, so then it is empty.
    /// </summary>
    public static IReadOnlyList<ResumeChange> Breaking(WorkflowSnapshot snapshot, RunRecord run, WorkflowDefinition definition)
    {
        var changes = new List<ResumeChange>();
        if (run.ContentHash is null || run.ContentHash == definition.Source?.ContentHash)
        {
            return changes;
        }

        var current = definition.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var step in snapshot.Steps)
        {
            if (!current.Contains(step.StepId) && step.Status is StepStatus.Completed or StepStatus.Skipped or StepStatus.Failed)
            {
                changes.Add(new ResumeChange
                {
                    Kind = ResumeChangeKind.Removed,
                    StepId = step.StepId,
                    Line = $"- {step.StepId}  removed or renamed, but it {step.Status.ToString().ToLowerInvariant()} in the run",
                });
            }
        }

        var old = OldDependencies(snapshot);
        foreach (var step in definition.Steps)
        {
            if (old.TryGetValue(step.Id, out var before) && !before.SetEquals(step.DependsOn))
            {
                changes.Add(new ResumeChange
                {
                    Kind = ResumeChangeKind.DependenciesChanged,
                    StepId = step.Id,
                    Line = $"~ {step.Id}  dependsOn changed: [{string.Join(", ", before.Order(StringComparer.Ordinal))}] -> [{string.Join(", ", step.DependsOn.Order(StringComparer.Ordinal))}]",
                });
            }
            else if (old.Count > 0 && !old.ContainsKey(step.Id))
            {
                changes.Add(new ResumeChange { Kind = ResumeChangeKind.Added, StepId = step.Id, Line = $"+ {step.Id}  added (it will run)" });
            }
        }

        // Added steps alone break nothing: report them only next to a real problem.
        return changes.Any(change => change.Kind != ResumeChangeKind.Added) ? changes : [];
    }

    /// <summary>Steps present before and now whose dependencies differ.</summary>
    public static IReadOnlyList<string> ChangedDependencies(WorkflowSnapshot snapshot, WorkflowDefinition definition)
    {
        var old = OldDependencies(snapshot);
        return [.. definition.Steps.Where(s => old.TryGetValue(s.Id, out var before) && !before.SetEquals(s.DependsOn)).Select(s => s.Id)];
    }

    /// <summary><paramref name="stepId"/> and every step that depends on it, directly or not.</summary>
    public static HashSet<string> Downstream(WorkflowDefinition definition, string stepId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal) { stepId };
        var queue = new Queue<string>([stepId]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var step in definition.Steps)
            {
                if (step.DependsOn.Contains(current) && found.Add(step.Id))
                {
                    queue.Enqueue(step.Id);
                }
            }
        }

        return found;
    }

    private static Dictionary<string, HashSet<string>> OldDependencies(WorkflowSnapshot snapshot) =>
        RecordedOptions.Read(snapshot.Options).DependsOn.ToDictionary(
            pair => pair.Key, pair => pair.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
}
