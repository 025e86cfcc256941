using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Flowline.Loading;

/// <summary>
/// Reads YamlDotNet's low-level event stream into a <see cref="YamlNode"/> tree. Iterative, so a deeply nested
/// file cannot overflow the stack; every problem becomes a diagnostic, never an exception.
/// </summary>
internal static partial class YamlTreeReader
{
    private const int DuplicateSetThreshold = 8;
    private const string MergeKey = "<<";

    /// <summary>How many nodes aliases may add to a file once expanded (hardened YAML loaders keep a similar budget).</summary>
    internal const long MaxAliasExpansion = 1_000_000;

    /// <summary>How deep lists and mappings may nest in any file; the converters of free-form values allow less.</summary>
    internal const int MaxNesting = 4_000;

    /// <summary>The root node of the single document in <paramref name="text"/>, or null after reporting why there is none.</summary>
    public static YamlNode? Read(string text, string file, List<Diagnostic> diagnostics, out bool hasAliases)
    {
        hasAliases = false;
        if (!SourceText.HasNoNul(text, file, diagnostics))
        {
            return null;
        }

        var builder = new Builder(file, diagnostics);
        var lastEnd = new Mark(0, 1, 1);
        try
        {
            var parser = new Parser(new StringReader(text));
            var documents = 0;
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                lastEnd = current.End;
                switch (current)
                {
                    case DocumentStart start:
                        if (++documents > 1)
                        {
                            diagnostics.Add(builder.Error(
                                DiagnosticCodes.MultipleDocuments,
                                start.Start,
                                "The file holds more than one YAML document (a second '---' starts here); a workflow file holds exactly one. Remove the '---' separator or split the file."));
                            return builder.Root;
                        }

                        break;
                    case Scalar scalar:
                        builder.Add(
                            new YamlScalar(Line(scalar.Start), Column(scalar.Start), scalar.Value, IsPlain(scalar), FormOf(scalar.Style)),
                            scalar);
                        break;
                    case SequenceStart sequence:
                        if (!builder.Open(new YamlSequence(Line(sequence.Start), Column(sequence.Start)), sequence))
                        {
                            return null;
                        }

                        break;
                    case MappingStart mapping:
                        if (!builder.Open(new YamlMapping(Line(mapping.Start), Column(mapping.Start)), mapping))
                        {
                            return null;
                        }

                        break;
                    case SequenceEnd or MappingEnd:
                        builder.Close();
                        break;
                    case AnchorAlias alias:
                        hasAliases = true;
                        if (!builder.Alias(alias))
                        {
                            return null;
                        }

                        break;
                }
            }
        }
        catch (YamlException exception)
        {
            // libyaml-style errors carry the construct being read (Start) and the offending character (End): point at the
            // latter, unless it is the end of the file (an unclosed quote), where the construct's start says more.
            var atEnd = exception.End.Index >= text.Length;
            var mark = atEnd ? exception.Start : exception.End;
            var context = !atEnd && exception.Start.Line < exception.End.Line ? $" (in the construct starting at line {exception.Start.Line})" : string.Empty;
            var message = $"YAML syntax error: {Clean(exception.Message)}{context}. Check the indentation and quoting around this position.";
            diagnostics.Add(TabIndentation(text) is { } tab && exception.Message.Contains("tab", StringComparison.Ordinal)
                ? new Diagnostic(DiagnosticCodes.YamlSyntax, DiagnosticSeverity.Error,
                    "YAML syntax error: a tab is used for indentation; YAML indents with spaces only. Replace the tab with spaces.",
                    new SourceLocation(file, tab.Line, tab.Column))
                : builder.Error(DiagnosticCodes.YamlSyntax, mark, message));
            return null;
        }
#pragma warning disable CA1031 // YamlDotNet's scanner throws InvalidOperationException on some malformed input (an unclosed flow sequence); user input never throws (STYLE rule 8).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            diagnostics.Add(builder.Error(
                DiagnosticCodes.YamlSyntax,
                lastEnd,
                exception is InvalidOperationException
                    ? "YAML syntax error after this position: look for an unclosed '[' or '{' or a missing quote."
                    : $"YAML syntax error after this position ({exception.Message}); look for an unclosed '[' or '{{' or a missing quote."));
            return null;
        }

        if (builder.Root is null || builder.Root is YamlScalar { IsPlain: true } scalarRoot && CoreSchema.IsNull(scalarRoot.Value))
        {
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.EmptyDocument,
                DiagnosticSeverity.Error,
                "The file is empty; a workflow needs at least 'name', 'version' and 'steps'.",
                new SourceLocation(file, builder.Root?.Line ?? 1, builder.Root?.Column ?? 1)));
            return null;
        }

        return builder.Root;
    }

    private static bool IsPlain(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.Value is "?" or "!");

    private static ScalarForm FormOf(ScalarStyle style) => style switch
    {
        ScalarStyle.SingleQuoted => ScalarForm.SingleQuoted,
        ScalarStyle.DoubleQuoted => ScalarForm.DoubleQuoted,
        ScalarStyle.Literal => ScalarForm.Literal,
        ScalarStyle.Folded => ScalarForm.Folded,
        _ => ScalarForm.Plain,
    };

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static int Column(Mark mark) => (int)Math.Max(1, mark.Column);

    /// <summary>YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the diagnostic carries the position already.</summary>
    private static string Clean(string message)
    {
        return MarkPrefix().Replace(message, string.Empty).Trim().TrimEnd('.');
    }

    /// <summary>YamlDotNet reports a tab in indentation at the enclosing mapping's start; find the tab itself.</summary>
    private static (int Line, int Column)? TabIndentation(string text)
    {
        var line = 1;
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = true;
                continue;
            }

            if (lineStart && c == '\t')
            {
                return (line, i - (text.LastIndexOf('\n', Math.Max(0, i - 1)) + 1) + 1);
            }

            lineStart = lineStart && c is ' ' or '\r';
        }

        return null;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
