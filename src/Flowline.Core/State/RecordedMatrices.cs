using Flowline.Binding;
using Flowline.Expressions;
using Flowline.Planning;

namespace Flowline.State;

/// <summary>
/// The matrix instances a past run expanded (issue 13), for <c>flowline show</c> and the other readers of a recorded
/// run: a static matrix or one over variables expands as the run did, with its variables; a matrix from a step's
/// output expands again from that step's recorded output, in the order the run expanded them, with the one expansion
/// the run used — so the instances have the ids, names and order they had.
/// </summary>
internal static class RecordedMatrices
{
    /// <param name="loaded">The workflow file as it loads now.</param>
    /// <param name="variables">The run's variables.</param>
    /// <param name="steps">The run's steps in the order they were first recorded.</param>
    public static WorkflowDefinition Expand(WorkflowDefinition loaded, IReadOnlyDictionary<string, object?> variables, IReadOnlyList<StepSnapshot> steps)
    {
        var expansion = MatrixExpansion.Expand(loaded, variables);
        if (expansion.Dynamic.Count == 0)
        {
            return expansion.Workflow;
        }

        var recorded = new Dictionary<string, StepSnapshot>(steps.Count, StringComparer.Ordinal);
        foreach (var step in steps)
        {
            recorded.TryAdd(step.StepId, step);
        }

        var given = new List<DynamicMatrixValues>();
        foreach (var step in steps)
        {
            if (step.Status is not (StepStatus.Completed or StepStatus.Skipped) || !expansion.Dynamic.TryGetValue(step.StepId, out var dynamic))
            {
                continue;
            }

            var views = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var producer in dynamic.Producers)
            {
                if (recorded.TryGetValue(producer, out var record))
                {
                    views[producer] = StepsRoot.View(StepMapping.ToResult(record));
                }
            }

            var scope = new DictionaryScope(new Dictionary<string, object?>(2, StringComparer.Ordinal) { ["steps"] = views, ["variables"] = variables });
            var values = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
            foreach (var axis in dynamic.Axes)
            {
                if (AxisTemplate.TryEvaluate(axis.Expression, scope, out var list, out _))
                {
                    values[axis.Name] = list;
                }
            }

            if (values.Count == dynamic.Axes.Count)
            {
                given.Add(new DynamicMatrixValues(step.StepId, values));
            }
        }

        return given.Count == 0 ? expansion.Workflow : MatrixExpansion.Expand(loaded, variables, given).Workflow;
    }
}
