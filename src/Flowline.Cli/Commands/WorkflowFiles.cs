namespace Flowline.Cli.Commands;

/// <summary>Loads and validates a workflow file the same way for every command.</summary>
internal static class WorkflowFiles
{
    /// <summary>Loads and validates <paramref name="path"/>; writes diagnostics to stderr; returns the definition when it has no error.</summary>
    public static async Task<(WorkflowDefinition? Definition, ValidationResult? Validation)> LoadAsync(
        string path,
        CliConsole console,
        bool strict = false)
    {
        // Loader and validator diagnostics together, in file order: every problem in one pass, not just the first kind.
        var validation = WorkflowValidator.ValidateFile(path);
        await WriteAsync(validation.Diagnostics, console, strict);
        var failed = validation.Definition is null
            || validation.Diagnostics.Any(d => d.IsError || (strict && d.Severity == DiagnosticSeverity.Warning));
        return failed ? (null, validation) : (validation.Definition, validation);
    }

    private static async Task WriteAsync(IEnumerable<Diagnostic> diagnostics, CliConsole console, bool strict)
    {
        foreach (var diagnostic in diagnostics)
        {
            var shown = strict && diagnostic.Severity == DiagnosticSeverity.Warning
                ? diagnostic with { Severity = DiagnosticSeverity.Error }
                : diagnostic;
            await console.Error.WriteLineAsync(shown.ToString());
        }
    }
}
