namespace Flowline;

/// <summary>
/// A step's <c>matrix:</c> block (issue 13, docs/matrix.md): the step runs once per combination of its axes' values
/// (the cross product in the order the axes are written, then <see cref="Exclude"/>, then <see cref="Include"/>
/// appended), each instance a step of its own.
/// </summary>
public sealed record MatrixOptions
{
    /// <summary>The most instances a matrix may expand to when <see cref="Limit"/> is not given.</summary>
    public const int DefaultLimit = 256;

    /// <summary>The axes in the order written; each a list of values or a template that yields one.</summary>
    public IReadOnlyList<MatrixAxis> Axes { get; init; } = [];

    /// <summary>Combinations taken out of the cross product: an entry removes every combination whose values it all matches.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Exclude { get; init; } = [];

    /// <summary>Combinations added after the cross product, in the order written.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Include { get; init; } = [];

    /// <summary>How many instances may run at once; null for no cap beyond the run's limits.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>The most instances the matrix may expand to; <see cref="DefaultLimit"/> when null.</summary>
    public int? Limit { get; init; }
}
