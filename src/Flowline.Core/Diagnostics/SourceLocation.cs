namespace Flowline;

/// <summary>A position in a workflow file: 1-based line and column.</summary>
/// <param name="File">The file name as the user gave it (or a source name for text parsed in memory).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
