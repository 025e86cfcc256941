using Flowline.Loading;

namespace Flowline;

/// <summary>
/// Reads workflow files (spec "Workflow Definition") into a <see cref="WorkflowDefinition"/>. Never throws for bad
/// input: every problem (unreadable file, YAML syntax, wrong types, duplicate or unknown keys, bad durations) is
/// a <see cref="Diagnostic"/> with file, line and column. Checks of values and of the graph are
/// <see cref="WorkflowValidator"/>'s job.
/// </summary>
public static class WorkflowLoader
{
    /// <summary>Reads and parses the workflow file at <paramref name="path"/>.</summary>
    /// <param name="path">The file path; diagnostics name the file as given here.</param>
    public static LoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            var reason = exception switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist; check the path",
                UnauthorizedAccessException when Directory.Exists(path) => "it is a directory; give the path of a .yaml file",
                UnauthorizedAccessException => "permission denied",
                _ => exception.Message,
            };
            return new LoadResult(null, [new Diagnostic(
                DiagnosticCodes.FileUnreadable,
                DiagnosticSeverity.Error,
                $"Cannot read workflow file '{path}': {reason}.",
                new SourceLocation(path, 1, 1))]);
        }

        var diagnostics = new List<Diagnostic>();
        return SourceText.Decode(bytes, path, diagnostics) is { } text ? Parse(text, path) : new LoadResult(null, diagnostics);
    }

    /// <summary>Parses workflow YAML held in memory.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="sourceName">The name diagnostics and <see cref="WorkflowSource.Path"/> use for this text.</param>
    public static LoadResult Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var diagnostics = new List<Diagnostic>();
        var root = YamlTreeReader.Read(text, sourceName, diagnostics, out var hasAliases);
        if (root is null)
        {
            return new LoadResult(null, diagnostics);
        }

        var source = new WorkflowSource(sourceName, text, root);
        var definition = new DefinitionReader(sourceName, diagnostics, hasAliases).Read(root, source);
        // The tree reader and the mapper report in two passes; users read a file top to bottom.
        return new LoadResult(definition, diagnostics.Count > 1 ? DiagnosticOrder.ByLocation(diagnostics) : diagnostics);
    }
}
