using Flowline.Expressions;

namespace Flowline.Planning;

/// <summary>
/// A matrix step whose axes read an upstream step's output (issue 13, docs/matrix.md "Dynamic fan-out from a step's
/// output"): planned as one placeholder step that waits for <see cref="Producers"/>; when it would start, the run
/// evaluates <see cref="Axes"/> and plans again with the values (<see cref="WorkflowPlan.WithMatrixValues"/>), which
/// appends the instances.
/// </summary>
/// <param name="Step">The matrix step as written.</param>
/// <param name="Producers">The steps its axes read (<c>steps.X</c>), in the order read: implicit dependencies.</param>
/// <param name="Axes">Each axis written as a template, with its parsed expression, in the order written.</param>
internal sealed record DynamicMatrix(WorkflowStep Step, IReadOnlyList<string> Producers, IReadOnlyList<DynamicMatrix.Axis> Axes)
{
    /// <summary>Where the axes come from, for <c>flowline graph</c>: <c>shard ← steps.plan.output.shards</c>.</summary>
    public string Source => string.Join(", ", Axes.Select(static a => $"{a.Name} ← {a.Template.Trim()[2..^2].Trim()}"));

    /// <summary>An axis written as <c>"{{ expression }}"</c>.</summary>
    /// <param name="Name">The axis name.</param>
    /// <param name="Template">The axis as written.</param>
    /// <param name="Expression">Its one expression, parsed.</param>
    internal sealed record Axis(string Name, string Template, Expression Expression);
}

/// <summary>The values a run gave the template axes of one dynamic matrix when it expanded it, by axis name.</summary>
/// <param name="StepId">The matrix step's id.</param>
/// <param name="Axes">Each template axis's list.</param>
internal sealed record DynamicMatrixValues(string StepId, IReadOnlyDictionary<string, IReadOnlyList<object?>> Axes);
