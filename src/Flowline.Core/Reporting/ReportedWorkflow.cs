namespace Flowline.Reporting;

/// <summary>
/// The steps a report lists (docs/reports.md): the workflow the run ran, which has the instances of matrices expanded
/// from a step's output (issue 13) when the result comes from a live run, each listed right after its matrix step;
/// a step with a result but no definition (a past run read back without its file) as a stand-in named by its id.
/// </summary>
internal static class ReportedWorkflow
{
    public static WorkflowDefinition Of(WorkflowDefinition workflow, WorkflowResult result)
    {
        if (result.Workflow is null && result.StepResults.Count == workflow.Steps.Count && !workflow.Steps.Any(static s => s.Instance is not null))
        {
            // Every live run without a matrix from a step's output: the plan's steps are the results' (no set built).
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

        List<WorkflowStep>? missing = null;
        foreach (var id in result.StepResults.Keys)
        {
            if (!ids.Contains(id))
            {
                (missing ??= []).Add(new WorkflowStep { Id = id, Name = id, Type = "script", Config = new CustomStepConfig() });
            }
        }

        if (!dynamic && missing is null)
        {
            return ran;
        }

        var steps = new List<WorkflowStep>(ran.Steps.Count + (missing?.Count ?? 0));
        foreach (var step in ran.Steps)
        {
            if (step.Instance is { } instance && ids.Contains(instance.Of))
            {
                continue;
            }

            steps.Add(step);
            if (step.Matrix is not null && dynamic)
            {
                steps.AddRange(ran.Steps.Where(s => s.Instance?.Of == step.Id));
            }
        }

        steps.AddRange(missing ?? []);
        return ran with { Steps = steps };
    }
}
