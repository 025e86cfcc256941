namespace Flowline;

/// <summary>
/// A problem found while loading or validating a workflow. Codes are stable: FL1xxx schema and YAML,
/// FL2xxx graph, FL3xxx expressions, FL4xxx executors and agents.
/// </summary>
/// <param name="Code">Stable code such as <c>FL2001</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong, the values involved and how to fix it.</param>
/// <param name="Location">Where in the file, when the workflow came from a file.</param>
/// <param name="StepId">The step concerned, if any.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    SourceLocation? Location = null,
    string? StepId = null)
{
    /// <summary>True for <see cref="DiagnosticSeverity.Error"/>.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Formats as <c>FILE:LINE:COL: error CODE: message</c>, the form compilers use.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return Location is null
            ? $"{severity} {Code}: {Message}"
            : $"{Location}: {severity} {Code}: {Message}";
    }
}
