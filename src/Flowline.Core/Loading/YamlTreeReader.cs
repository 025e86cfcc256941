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

    /// <summary>The root node of the single document in <paramref name="text"/>, or null after reporting why there is none.</summary>
    public static YamlNode? Read(string text, string file, List<Diagnostic> diagnostics, out bool hasAliases)
    {
        var builder = new Builder(file, diagnostics);
        hasAliases = false;
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
                        builder.Open(new YamlSequence(Line(sequence.Start), Column(sequence.Start)), sequence);
                        break;
                    case MappingStart mapping:
                        builder.Open(new YamlMapping(Line(mapping.Start), Column(mapping.Start)), mapping);
                        break;
                    case SequenceEnd or MappingEnd:
                        builder.Close();
                        break;
                    case AnchorAlias alias:
                        hasAliases = true;
                        builder.Alias(alias);
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

    private sealed class Frame(YamlNode node)
    {
        public YamlNode Node { get; } = node;

        public bool ExpectingKey { get; set; } = true;

        public YamlScalar? PendingKey { get; set; }

        public bool DiscardValue { get; set; }

        public HashSet<string>? Keys { get; set; }

        public bool HasMerge { get; set; }
    }

    private sealed class Builder(string file, List<Diagnostic> diagnostics)
    {
        private readonly Stack<Frame> _frames = new();
        private Dictionary<string, YamlNode>? _anchors;

        public YamlNode? Root { get; private set; }

        public Diagnostic Error(string code, Mark mark, string message) =>
            new(code, DiagnosticSeverity.Error, message, new SourceLocation(file, Line(mark), Column(mark)));

        public void Open(YamlNode node, NodeEvent e)
        {
            Add(node, e);
            _frames.Push(new Frame(node));
        }

        public void Close()
        {
            var frame = _frames.Pop();
            if (frame.HasMerge)
            {
                Merge((YamlMapping)frame.Node);
            }
        }

        public void Alias(AnchorAlias alias)
        {
            if (_anchors is not null && _anchors.TryGetValue(alias.Value.Value, out var node))
            {
                Attach(node);
                return;
            }

            diagnostics.Add(Error(
                DiagnosticCodes.YamlSyntax,
                alias.Start,
                $"The alias '*{alias.Value.Value}' refers to no anchor; define '&{alias.Value.Value}' on an earlier node."));
            Attach(new YamlScalar(Line(alias.Start), Column(alias.Start), string.Empty, isPlain: true));
        }

        public void Add(YamlNode node, NodeEvent e)
        {
            if (!e.Anchor.IsEmpty)
            {
                (_anchors ??= new Dictionary<string, YamlNode>(StringComparer.Ordinal))[e.Anchor.Value] = node;
            }

            Attach(node);
        }

        private void Attach(YamlNode node)
        {
            if (_frames.Count == 0)
            {
                Root = node;
                return;
            }

            var frame = _frames.Peek();
            if (frame.Node is YamlSequence sequence)
            {
                sequence.Items.Add(node);
                return;
            }

            var mapping = (YamlMapping)frame.Node;
            if (frame.ExpectingKey)
            {
                frame.ExpectingKey = false;
                frame.DiscardValue = false;
                if (node is YamlScalar key)
                {
                    frame.PendingKey = key;
                    frame.HasMerge |= key.IsPlain && key.Value == MergeKey;
                    if (IsDuplicate(frame, mapping, key))
                    {
                        var first = mapping.FindKey(key.Value)!;
                        diagnostics.Add(new Diagnostic(
                            DiagnosticCodes.DuplicateKey,
                            DiagnosticSeverity.Error,
                            $"The key '{key.Value}' appears twice in this mapping (first at line {first.Line}); remove or rename one of them.",
                            new SourceLocation(file, key.Line, key.Column)));
                        frame.DiscardValue = true;
                    }
                }
                else
                {
                    diagnostics.Add(new Diagnostic(
                        DiagnosticCodes.WrongType,
                        DiagnosticSeverity.Error,
                        $"Expected a plain key here, found {node.Describe()} used as a mapping key; keys must be strings.",
                        new SourceLocation(file, node.Line, node.Column)));
                    frame.DiscardValue = true;
                }

                return;
            }

            frame.ExpectingKey = true;
            if (!frame.DiscardValue)
            {
                mapping.Entries.Add(new KeyValuePair<YamlScalar, YamlNode>(frame.PendingKey!, node));
            }
        }

        /// <summary>
        /// Applies YAML merge keys (<c>&lt;&lt;: *defaults</c>, yaml.org/type/merge), which CI files commonly use to share
        /// config: keys written in the mapping win, then earlier merged mappings over later ones.
        /// </summary>
        private void Merge(YamlMapping mapping)
        {
            var sources = new List<YamlMapping>();
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>(mapping.Entries.Count);
            foreach (var entry in mapping.Entries)
            {
                if (!(entry.Key.IsPlain && entry.Key.Value == MergeKey))
                {
                    entries.Add(entry);
                    continue;
                }

                switch (entry.Value)
                {
                    case YamlMapping single:
                        sources.Add(single);
                        break;
                    case YamlSequence list when list.Items.All(static i => i is YamlMapping):
                        sources.AddRange(list.Items.Cast<YamlMapping>());
                        break;
                    default:
                        entry.Value.Rejected = true;
                        diagnostics.Add(new Diagnostic(
                            DiagnosticCodes.WrongType,
                            DiagnosticSeverity.Error,
                            $"Expected a mapping or a list of mappings for the merge key '<<', found {entry.Value.Describe()}.",
                            new SourceLocation(file, entry.Value.Line, entry.Value.Column)));
                        break;
                }
            }

            var present = new HashSet<string>(entries.Select(static e => e.Key.Value), StringComparer.Ordinal);
            foreach (var source in sources)
            {
                foreach (var entry in source.Entries)
                {
                    if (present.Add(entry.Key.Value))
                    {
                        entries.Add(entry);
                    }
                }
            }

            mapping.Entries.Clear();
            mapping.Entries.AddRange(entries);
        }

        private static bool IsDuplicate(Frame frame, YamlMapping mapping, YamlScalar key)
        {
            if (frame.Keys is not null)
            {
                return !frame.Keys.Add(key.Value);
            }

            if (mapping.Entries.Count < DuplicateSetThreshold)
            {
                return mapping.FindKey(key.Value) is not null;
            }

            frame.Keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in mapping.Entries)
            {
                frame.Keys.Add(entry.Key.Value);
            }

            return !frame.Keys.Add(key.Value);
        }
    }
}
