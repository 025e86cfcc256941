using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Flowline.Loading;

internal static partial class YamlTreeReader
{
    private sealed class Frame(YamlNode node)
    {
        public YamlNode Node { get; } = node;

        public bool ExpectingKey { get; set; } = true;

        public YamlScalar? PendingKey { get; set; }

        public bool DiscardValue { get; set; }

        public HashSet<string>? Keys { get; set; }

        public bool HasMerge { get; set; }

        /// <summary>How many nodes the children closed so far stand for once aliases are expanded.</summary>
        public long Expanded { get; set; }
    }

    private sealed class Builder(string file, List<Diagnostic> diagnostics)
    {
        private readonly Stack<Frame> _frames = new();
        private Dictionary<string, YamlNode>? _anchors;

        // What each anchored list or mapping stands for once expanded, and what all aliases so far added: an alias
        // repeats a node without copying it, so nine lines of '&b [*a, *a, …]' stand for 9^9 nodes ("billion laughs",
        // issue 18). Whatever walks the values later (serialising variables, rendering parameters) would pay for every
        // one of them, so the budget is kept here, where every file's aliases are resolved.
        private Dictionary<YamlNode, long>? _expandedSizes;
        private long _aliasExpansion;

        public YamlNode? Root { get; private set; }

        public Diagnostic Error(string code, Mark mark, string message) =>
            new(code, DiagnosticSeverity.Error, message, new SourceLocation(file, Line(mark), Column(mark)));

        /// <summary>Opens a list or mapping; false, after reporting it, when it nests deeper than <see cref="MaxNesting"/>.</summary>
        public bool Open(YamlNode node, NodeEvent e)
        {
            if (_frames.Count >= MaxNesting)
            {
                // Stopping here keeps deep flow nesting linear: YamlDotNet's scanner does work proportional to the
                // flow depth for every token, so reading on to the end of '[[[…]]]' is quadratic (issue 18).
                diagnostics.Add(Error(
                    DiagnosticCodes.WrongType,
                    e.Start,
                    string.Create(CultureInfo.InvariantCulture, $"Expected at most {MaxNesting} levels of nested lists and mappings, found deeper nesting here; flatten the value.")));
                return false;
            }

            Anchor(node, e);
            Attach(node);
            _frames.Push(new Frame(node));
            return true;
        }

        public void Close()
        {
            var frame = _frames.Pop();
            if (frame.HasMerge)
            {
                Merge((YamlMapping)frame.Node);
            }

            var expanded = frame.Expanded + 1;
            if (_expandedSizes is not null && _expandedSizes.ContainsKey(frame.Node))
            {
                _expandedSizes[frame.Node] = expanded;
            }

            Count(expanded);
        }

        /// <summary>Attaches the anchored node again; false, after reporting it, when that takes the file past <see cref="MaxAliasExpansion"/>.</summary>
        public bool Alias(AnchorAlias alias)
        {
            if (_anchors is not null && _anchors.TryGetValue(alias.Value.Value, out var node))
            {
                // A scalar stands for one node; so does an alias to a list still open around it (a recursive value,
                // which the converters' depth limit reports).
                var size = _expandedSizes is not null && _expandedSizes.TryGetValue(node, out var known) ? known : 1;
                _aliasExpansion += size;
                if (_aliasExpansion > MaxAliasExpansion)
                {
                    diagnostics.Add(Error(
                        DiagnosticCodes.AliasExpansionTooLarge,
                        alias.Start,
                        string.Create(CultureInfo.InvariantCulture, $"The alias '*{alias.Value.Value}' takes the file past {MaxAliasExpansion:N0} nodes once its aliases are expanded (this one stands for {size:N0}); aliases of lists that repeat aliases grow exponentially. Write the repeated values out, or refer to them fewer times.")));
                    return false;
                }

                Count(size);
                Attach(node);
                return true;
            }

            diagnostics.Add(Error(
                DiagnosticCodes.YamlSyntax,
                alias.Start,
                $"The alias '*{alias.Value.Value}' refers to no anchor; define '&{alias.Value.Value}' on an earlier node."));
            Add(new YamlScalar(Line(alias.Start), Column(alias.Start), string.Empty, isPlain: true), null);
            return true;
        }

        /// <summary>Attaches a scalar.</summary>
        public void Add(YamlScalar node, NodeEvent? e)
        {
            if (e is not null)
            {
                Anchor(node, e);
            }

            Count(1);
            Attach(node);
        }

        private void Anchor(YamlNode node, NodeEvent e)
        {
            if (e.Anchor.IsEmpty)
            {
                return;
            }

            (_anchors ??= new Dictionary<string, YamlNode>(StringComparer.Ordinal))[e.Anchor.Value] = node;
            if (node is not YamlScalar)
            {
                // Known when the node closes; until then an alias to it is recursive and counts as one node.
                (_expandedSizes ??= new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance))[node] = 1;
            }
        }

        private void Count(long expanded)
        {
            if (_frames.Count > 0)
            {
                _frames.Peek().Expanded += expanded;
            }
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
