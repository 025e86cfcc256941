using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>What a changed workflow file means for resuming a run (<c>flowline resume</c>).</summary>
internal static class ResumeDiff
{
    /// <summary>
    /// The changes that break the run, one line each (<c>- build  removed, it completed</c>): steps with a result
    /// that are gone (removed or renamed), and steps whose dependencies changed. Added steps break nothing.
    /// </summary>
    public static IReadOnlyList<string> Breaking(WorkflowSnapshot snapshot, RunRecord run, WorkflowDefinition definition)
    {
        var lines = new List<string>();
        if (run.ContentHash is null || run.ContentHash == definition.Source?.ContentHash)
        {
            return lines;
        }

        var current = definition.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var step in snapshot.Steps)
        {
            if (!current.Contains(step.StepId) && step.Status is StepStatus.Completed or StepStatus.Skipped or StepStatus.Failed)
            {
                lines.Add($"- {step.StepId}  removed or renamed, but it {step.Status.ToString().ToLowerInvariant()} in the run");
            }
        }

        var old = OldDependencies(snapshot);
        foreach (var step in definition.Steps)
        {
            if (old.TryGetValue(step.Id, out var before) && !before.SetEquals(step.DependsOn))
            {
                lines.Add($"~ {step.Id}  dependsOn changed: [{string.Join(", ", before.Order(StringComparer.Ordinal))}] -> [{string.Join(", ", step.DependsOn.Order(StringComparer.Ordinal))}]");
            }
            else if (old.Count > 0 && !old.ContainsKey(step.Id))
            {
                lines.Add($"+ {step.Id}  added (it will run)");
            }
        }

        // Added steps alone break nothing: report them only next to a real problem.
        return lines.Any(line => !line.StartsWith('+')) ? lines : [];
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
