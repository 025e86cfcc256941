namespace Flowline.Reporting;

/// <summary>
/// The steps a report lists (docs/reports.md), the one place that decides them: the workflow the run ran, which has
/// the instances of matrices expanded from a step's output (issue 13) when the result comes from a live run, each
/// listed right after its matrix step; right after each <c>type: workflow</c> step, its child's steps by their
/// qualified ids (<c>deploy/push</c>, issue 14); a step with a result but no definition (a past run read back without
/// its file, a child step read back from the store) as a stand-in named by its id.
/// </summary>
internal static class ReportedWorkflow
{
    public static WorkflowDefinition Of(WorkflowDefinition workflow, WorkflowResult result)
    {
        if (result.Workflow is null && result.StepResults.Count == workflow.Steps.Count && !workflow.Steps.Any(static s => s.Instance is not null))
        {
            // Every live run without a matrix from a step's output or a child workflow: the plan's steps are the results'.
            return workflow;
        }

        var ran = result.Workflow is { } grown && string.Equals(grown.Name, workflow.Name, StringComparison.Ordinal) ? grown : workflow;
        var ids = new HashSet<string>(ran.Steps.Count, StringComparer.Ordinal);
        var dynamic = false;
        foreach (var step in ran.Steps)
        {
            ids.Add(step.Id);
        }

        foreach (var step in ran.Steps)
        {
            dynamic |= step.Instance is { } instance && ids.Contains(instance.Of);
        }

        var children = false;
        List<WorkflowStep>? missing = null;
        foreach (var id in result.StepResults.Keys)
        {
            if (ids.Contains(id))
            {
                continue;
            }

            if (id.Contains('/', StringComparison.Ordinal) && ids.Contains(id[..id.IndexOf('/', StringComparison.Ordinal)]))
            {
                children = true;
            }
            else
            {
                (missing ??= []).Add(Unnamed(id, "script"));
            }
        }

        if (!dynamic && !children && missing is null)
        {
            return ran;
        }

        var steps = new List<WorkflowStep>(result.StepResults.Count + ran.Steps.Count);
        foreach (var step in ran.Steps)
        {
            if (dynamic && step.Instance is { } instance && ids.Contains(instance.Of))
            {
                continue;
            }

            Add(steps, step, result, children);
            if (step.Matrix is not null && dynamic)
            {
                foreach (var added in ran.Steps.Where(s => s.Instance?.Of == step.Id))
                {
                    Add(steps, added, result, children);
                }
            }
        }

        steps.AddRange(missing ?? []);
        return ran with { Steps = steps };
    }

    // A step, then its child's steps (and theirs: a/b/c) in the order the result holds them.
    private static void Add(List<WorkflowStep> steps, WorkflowStep step, WorkflowResult result, bool children)
    {
        steps.Add(step);
        if (!children)
        {
            return;
        }

        var prefix = step.Id + "/";
        foreach (var id in result.StepResults.Keys)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                steps.Add(result.ChildSteps?.GetValueOrDefault(id) ?? Unnamed(id, "workflow-child"));
            }
        }
    }

    private static WorkflowStep Unnamed(string id, string type) => new() { Id = id, Name = id, Type = type, Config = new CustomStepConfig() };
}
