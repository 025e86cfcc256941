namespace Flowline;

internal static class DiagnosticOrder
{
    /// <summary>Stable sort by line and column; diagnostics without a location keep their place at the front.</summary>
    public static Diagnostic[] ByLocation(IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(static d => d.Location?.Line ?? 0).ThenBy(static d => d.Location?.Column ?? 0)];
}
