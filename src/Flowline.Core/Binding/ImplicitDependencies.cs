using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>
/// Dependencies a step gets by reading another step in its condition or templates (<c>steps.build.output</c>), so it
/// never reads a step that has not finished (issue 4). The scheduler adds them to <c>dependsOn</c>; <c>flowline
/// graph</c> and <c>flowline validate --verbose</c> show them.
/// </summary>
internal static class ImplicitDependencies
{
    /// <summary>
    /// For each step that reads other steps, the ids it reads that are steps of the workflow and not already in its
    /// <c>dependsOn</c>, in order of first use. A step reading itself is left out here (the validator reports it).
    /// Texts that do not parse are ignored (the validator reports those too).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Compute(WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        HashSet<string>? ids = null;
        var result = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        for (var i = 0; i < workflow.Steps.Count; i++)
        {
            var step = workflow.Steps[i];

            // Only conditions and texts with {{ read steps: a graph of plain steps costs no set of ids and no pointers.
            if (!StepTexts.HasBindableText(step))
            {
                continue;
            }

            ids ??= StepIds(workflow);
            List<string>? extra = null;
            foreach (var text in StepTexts.Enumerate(step, i))
            {
                foreach (var id in StepsRead(text))
                {
                    if (id != step.Id && ids.Contains(id) && !step.DependsOn.Contains(id) && !(extra?.Contains(id) ?? false))
                    {
                        (extra ??= []).Add(id);
                    }
                }
            }

            if (extra is not null)
            {
                result.TryAdd(step.Id, extra);
            }
        }

        return result;
    }

    private static HashSet<string> StepIds(WorkflowDefinition workflow)
    {
        var ids = new HashSet<string>(workflow.Steps.Count, StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            ids.Add(step.Id);
        }

        return ids;
    }

    /// <summary>The step ids a condition or template names through <c>steps.ID…</c> (ids only known statically).</summary>
    public static IEnumerable<string> StepsRead(StepText text)
    {
        IReadOnlyList<PathReference> references;
        if (text.IsCondition)
        {
            if (!Expression.TryParse(text.Text, out var expression, out _))
            {
                yield break;
            }

            references = expression.References;
        }
        else
        {
            if (!Template.ContainsTemplate(text.Text) || !Template.TryParse(text.Text, out var template, out _))
            {
                yield break;
            }

            references = template.References;
        }

        foreach (var reference in references)
        {
            if (reference.Root == "steps" && reference.Segments.Count > 0)
            {
                yield return reference.Segments[0];
            }
        }
    }
}
