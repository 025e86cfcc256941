namespace Flowline.Expressions;

/// <summary>
/// A path an expression reads, such as <c>steps.run-tests.success</c>: Root <c>steps</c>, Segments
/// <c>["run-tests", "success"]</c>. Core uses these to validate names and to infer dependencies.
/// </summary>
/// <param name="Root">The first identifier of the path (<c>env</c>, <c>variables</c>, <c>steps</c>, …).</param>
/// <param name="Segments">
/// The statically known member names and literal indexes after the root, in order; a computed index
/// such as <c>steps[variables.id]</c> ends the list.
/// </param>
/// <param name="Position">The 0-based offset of the root identifier in the parsed text.</param>
public sealed record PathReference(string Root, IReadOnlyList<string> Segments, int Position)
{
    /// <summary>The path in dotted form, e.g. <c>steps.run-tests.success</c>.</summary>
    /// <returns>The root and segments joined with dots.</returns>
    public override string ToString() => Segments.Count == 0 ? Root : Root + "." + string.Join('.', Segments);
}
