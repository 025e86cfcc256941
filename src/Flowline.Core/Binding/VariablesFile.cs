using System.Diagnostics.CodeAnalysis;
using Flowline.Loading;

namespace Flowline;

/// <summary>
/// Run variables from outside the workflow (spec "Runtime Variables"): a <c>--vars-file</c> in YAML or JSON, with
/// nested values, and <c>--var name=value</c> assignments typed the way YAML types a plain scalar.
/// </summary>
public static class VariablesFile
{
    private const int MaxDepth = 64;

    /// <summary>
    /// Reads a YAML or JSON file whose top level is a mapping of variable names to values (strings, numbers,
    /// booleans, null, lists and mappings; unquoted scalars typed as in YAML 1.2, quoted ones are strings).
    /// Never throws for bad input.
    /// </summary>
    /// <param name="path">The file; diagnostics name it as given.</param>
    /// <param name="variables">The variables, for <see cref="ExecutionOptions.Variables"/>, on success.</param>
    /// <param name="diagnostics">What is wrong with the file, with line and column; empty on success.</param>
    /// <returns>Whether the file was read.</returns>
    public static bool TryLoad(string path, [NotNullWhen(true)] out IReadOnlyDictionary<string, object?>? variables, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(path);
        variables = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = exception is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist; check the path" : exception.Message;
            diagnostics = [new Diagnostic(DiagnosticCodes.FileUnreadable, DiagnosticSeverity.Error, $"Cannot read variables file '{path}': {reason}.", new SourceLocation(path, 1, 1))];
            return false;
        }

        var found = new List<Diagnostic>();
        diagnostics = found;
        if (SourceText.Decode(bytes, path, found) is not { } text)
        {
            return false;
        }

        var root = YamlTreeReader.Read(text, path, found, out var hasAliases);
        if (found.Any(d => d.IsError))
        {
            return false;
        }

        if (root is not YamlMapping mapping)
        {
            found.Add(new Diagnostic(
                DiagnosticCodes.WrongType,
                DiagnosticSeverity.Error,
                $"A variables file holds a mapping of names to values, such as 'buildNumber: 42', but '{path}' holds {root?.Describe() ?? "nothing"}.",
                new SourceLocation(path, root?.Line ?? 1, root?.Column ?? 1)));
            return false;
        }

        var cache = hasAliases ? YamlPlain.NewCache() : null;
        void TooDeep(YamlNode node) => found.Add(new Diagnostic(DiagnosticCodes.WrongType, DiagnosticSeverity.Error,
            $"Variables nest more than {MaxDepth} levels deep here; flatten them.", new SourceLocation(path, node.Line, node.Column)));
        var result = new Dictionary<string, object?>(mapping.Entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            result[key.Value] = YamlPlain.Convert(value, MaxDepth, cache, TooDeep);
        }

        if (found.Any(d => d.IsError))
        {
            return false;
        }

        variables = result;
        return true;
    }

    /// <summary>
    /// Types a <c>--var</c> value: <c>true</c> and <c>false</c> are booleans, <c>42</c> and <c>-3.5</c> are numbers, but
    /// only in canonical spelling (<c>1.10</c>, <c>007</c>, <c>1e5</c> stay text, so versions and ids render as
    /// passed); anything else (<c>main</c>, <c>null</c>, <c>True</c>, <c>1.2.0</c>, the empty string) is the text.
    /// </summary>
    /// <param name="text">The value after the <c>=</c>.</param>
    /// <returns>A bool, long, double or the text.</returns>
    public static object? ParseValue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text)
        {
            case "true":
                return true;
            case "false":
                return false;
        }

        // A number is kept only in its canonical spelling: '1.10', '007' or '1e5' stay text, so a version or an id
        // renders exactly as it was passed.
        if (CoreSchema.TryInteger(text, out var integer) && Expressions.ValueFormatter.Render(integer) == text)
        {
            return integer;
        }

        return CoreSchema.TryFloat(text, out var number) && Expressions.ValueFormatter.Render(number) == text ? number : text;
    }

    /// <summary>Splits a <c>--var name=value</c> assignment and types the value with <see cref="ParseValue"/>.</summary>
    /// <param name="assignment">The text after <c>--var</c>.</param>
    /// <param name="name">The variable name, on success.</param>
    /// <param name="value">The typed value, on success.</param>
    /// <param name="error">What is wrong and how to fix it, on failure.</param>
    /// <returns>Whether the assignment is well formed.</returns>
    public static bool TryParseAssignment(string assignment, [NotNullWhen(true)] out string? name, out object? value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            name = null;
            value = null;
            error = $"'{assignment}' is not an assignment: write --var name=value, e.g. --var buildNumber=42";
            return false;
        }

        name = assignment[..equals].Trim();
        value = ParseValue(assignment[(equals + 1)..]);
        error = null;
        return true;
    }
}
