namespace Flowline;

/// <summary>
/// What makes a step one instance of a matrix step (issue 13, docs/matrix.md): the plan expands a step with a
/// <c>matrix:</c> into one step per combination, each carrying this.
/// </summary>
public sealed record MatrixInstance
{
    /// <summary>The id of the matrix step as written (<c>test</c>), which <c>dependsOn</c> and <c>steps.test</c> name for all instances.</summary>
    public required string Of { get; init; }

    /// <summary>The instance's position in the matrix's order (0-based).</summary>
    public required int Index { get; init; }

    /// <summary>The instance's values by axis name, read as <c>matrix.NAME</c>.</summary>
    public required IReadOnlyDictionary<string, object?> Values { get; init; }
}
