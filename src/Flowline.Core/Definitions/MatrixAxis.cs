namespace Flowline;

/// <summary>One axis of a <see cref="MatrixOptions"/>: its values as written, or a template that yields them.</summary>
public sealed record MatrixAxis
{
    /// <summary>The axis name, read as <c>matrix.NAME</c> inside the step.</summary>
    public required string Name { get; init; }

    /// <summary>The values in the order written; null when the axis is a <see cref="Template"/>.</summary>
    public IReadOnlyList<object?>? Values { get; init; }

    /// <summary>
    /// A template that yields a list (<c>{{ variables.files }}</c>, expanded before the run starts, or
    /// <c>{{ steps.plan.output.shards }}</c>, expanded when that step finishes); null for written values.
    /// </summary>
    public string? Template { get; init; }
}
