namespace Flowline.Reporting;

/// <summary>
/// The steps a report lists (issue 14): the workflow's own and, right after each <c>type: workflow</c> step, its
/// child's steps by their qualified ids (<c>deploy/push</c>), as the run's result holds them.
/// </summary>
internal static class ReportSteps
{
    /// <summary><paramref name="workflow"/> itself when the result has no child steps, else a copy listing them too.</summary>
    public static WorkflowDefinition Expand(WorkflowDefinition workflow, WorkflowResult result)
    {
        if (!result.StepResults.Keys.Any(static id => id.Contains('/', StringComparison.Ordinal)))
        {
            return workflow;
        }

        var steps = new List<WorkflowStep>(result.StepResults.Count);
        foreach (var step in workflow.Steps)
        {
            steps.Add(step);
            var prefix = step.Id + "/";
            foreach (var id in result.StepResults.Keys)
            {
                if (id.StartsWith(prefix, StringComparison.Ordinal))
                {
                    steps.Add(result.ChildSteps?.GetValueOrDefault(id) ?? Unnamed(id));
                }
            }
        }

        return workflow with { Steps = steps };
    }

    // A child step read back from the store, whose definition the report does not have: its id stands for its name.
    private static WorkflowStep Unnamed(string id) => new() { Id = id, Name = id, Type = "workflow-child", Config = new CustomStepConfig() };
}
