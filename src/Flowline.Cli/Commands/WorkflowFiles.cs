namespace Flowline.Cli.Commands;

/// <summary>Loads and validates a workflow file the same way for every command.</summary>
internal static class WorkflowFiles
{
    /// <summary>
    /// Loads and validates <paramref name="path"/> with <paramref name="runner"/>'s executors (a new runner's when
    /// null) and the <c>--executor</c> override, so that the validation's plan is the one that runner runs; writes diagnostics to stderr; returns the
    /// definition when it has no error.
    /// </summary>
    public static async Task<(WorkflowDefinition? Definition, ValidationResult? Validation)> LoadAsync(
        string path,
        CliConsole console,
        bool strict = false,
        WorkflowRunner? runner = null,
        string? executor = null)
    {
        // Loader and validator diagnostics together, in file order: every problem in one pass, not just the first kind.
        // With --executor the plan is the one the run runs (issue 12).
        var validation = (runner ?? new WorkflowRunner()).ValidateFile(path, executor);
        await WriteAsync(validation.Diagnostics, console, strict);
        return Failed(validation, strict) ? (null, validation) : (validation.Definition, validation);
    }

    /// <summary>Whether the file may not run: no definition, an error, or (strict) a warning. <c>flowline mcp</c> decides the same way.</summary>
    public static bool Failed(ValidationResult validation, bool strict = false) =>
        validation.Definition is null || validation.Plan is null
        || validation.Diagnostics.Any(d => d.IsError || (strict && d.Severity == DiagnosticSeverity.Warning));

    /// <summary>
    /// Before a validated definition runs: lets go of the loader's node tree (positions are read again from the text if
    /// a diagnostic ever needs one) and collects once, so the run starts from the memory it needs rather than on top of
    /// what loading left behind. For a 10,000-step file that is the ~15 MB tree and YamlDotNet's garbage; without the
    /// collection the heap kept them until a full GC that a run may never trigger, and grew past them (issue 7, B6:
    /// 97 MB peak without the run store, 86 MB with this). The collection costs a few milliseconds on a small file.
    /// </summary>
    public static void ReleaseLoadingMemory(WorkflowDefinition definition)
    {
        definition.Source?.ReleaseNodeTree();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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
