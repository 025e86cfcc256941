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
        var load = WorkflowLoader.LoadFile(path);
        if (load.Definition is null || load.Diagnostics.Any(d => d.IsError))
        {
            await WriteAsync(load.Diagnostics, console, strict);
            return (null, null);
        }

        var validation = new WorkflowValidator().Validate(load.Definition);
        var all = load.Diagnostics.Concat(validation.Diagnostics).ToList();
        await WriteAsync(all, console, strict);
        var failed = all.Any(d => d.IsError || (strict && d.Severity == DiagnosticSeverity.Warning));
        return failed ? (null, validation) : (load.Definition, validation);
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
