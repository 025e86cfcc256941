using System.Buffers;
using System.Text;

namespace Flowline.Execution.Secrets;

/// <summary>
/// Replaces every occurrence of a run's secret values with <c>***</c> (issue 13, docs/secrets.md). One per run, applied
/// where text leaves the engine: each log line as <see cref="WorkflowContext"/> writes it, and each step's result as
/// the scheduler settles it. A value of several lines is masked line by line (each non-blank line, trimmed, is a
/// value of its own), so text cut into lines is masked as well as text that is not. Overlapping values are masked as
/// one span, so no part of either shows.
/// </summary>
/// <remarks>
/// Values can be added while the run goes on (<c>::add-mask::</c>, from any output pump): the set of values is an
/// immutable snapshot swapped under a lock, so a reader never locks. Without values <see cref="IsEmpty"/> is true and
/// every method returns its input after one field read: a run without secrets pays nothing per line.
/// </remarks>
internal sealed partial class SecretMasker
{
    /// <summary>What a masked value is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>The workflow command a step prints, on a line of its own, to mask a value for the rest of the run.</summary>
    public const string AddMaskCommand = "::add-mask::";

    private readonly Lock _gate = new();
    private volatile Patterns? _patterns;
    private volatile bool _sawCommand;

    /// <summary>A masker for <paramref name="values"/> (more can be added later).</summary>
    public SecretMasker(IEnumerable<string>? values = null)
    {
        foreach (var value in values ?? [])
        {
            Add(value);
        }
    }

    /// <summary>True while there is nothing to mask.</summary>
    public bool IsEmpty => _patterns is null;

    /// <summary>Masks <paramref name="value"/> from now on: each of its non-blank lines, trimmed.</summary>
    public void Add(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        lock (_gate)
        {
            var current = _patterns?.Values ?? [];
            var added = new List<string>(current);
            foreach (var line in value.Split('\n'))
            {
                var piece = line.Trim();
                if (piece.Length > 0 && !added.Contains(piece, StringComparer.Ordinal))
                {
                    added.Add(piece);
                }
            }

            if (added.Count != current.Length)
            {
                _patterns = new Patterns([.. added]);
            }
        }
    }

    /// <summary>
    /// When <paramref name="line"/> is an <c>::add-mask::VALUE</c> command, adds VALUE and returns true: the line is
    /// not to be shown. Costs one prefix comparison for any other line.
    /// </summary>
    public bool TryAddMaskCommand(string line)
    {
        if (!line.StartsWith(AddMaskCommand, StringComparison.Ordinal))
        {
            return false;
        }

        _sawCommand = true;
        Add(line[AddMaskCommand.Length..]);
        return true;
    }

    /// <summary><paramref name="text"/> with every value masked; the same instance when nothing matched.</summary>
    public string Apply(string text) => _patterns is { } patterns ? patterns.Apply(text) : text;

    /// <summary>Masks a nullable text.</summary>
    public string? ApplyOrNull(string? text) => text is null || _patterns is not { } patterns ? text : patterns.Apply(text);

    /// <summary>
    /// <paramref name="text"/> without its <c>::add-mask::</c> lines once a step has printed one: a captured stdout or
    /// output shows them no more than the log does. The same instance otherwise.
    /// </summary>
    private string? WithoutCommands(string? text)
    {
        if (!_sawCommand || text is null || !text.Contains(AddMaskCommand, StringComparison.Ordinal))
        {
            return text;
        }

        var kept = text.Split('\n').Where(static line => !line.StartsWith(AddMaskCommand, StringComparison.Ordinal));
        return string.Join('\n', kept);
    }

    /// <summary>An immutable set of values and the multi-string search over them.</summary>
    private sealed class Patterns
    {
        private readonly SearchValues<string> _search;

        public Patterns(string[] values)
        {
            // Longest first, so that at one position the longest value wins.
            Values = values;
            Ordered = [.. values.OrderByDescending(static v => v.Length)];
            _search = SearchValues.Create(values, StringComparison.Ordinal);
        }

        public string[] Values { get; }

        private string[] Ordered { get; }

        public string Apply(string text)
        {
            var span = text.AsSpan();
            var first = span.IndexOfAny(_search);
            if (first < 0)
            {
                return text;
            }

            var builder = new StringBuilder(text.Length);
            var copied = 0;
            var start = first;
            var end = first + LongestAt(span, first);

            // Every later match start is looked for, also inside the current span, so that overlapping values merge.
            for (var from = first + 1; from < span.Length;)
            {
                var next = span[from..].IndexOfAny(_search);
                if (next < 0)
                {
                    break;
                }

                next += from;
                var length = LongestAt(span, next);
                if (next <= end)
                {
                    end = Math.Max(end, next + length);
                }
                else
                {
                    builder.Append(span[copied..start]).Append(Mask);
                    copied = end;
                    start = next;
                    end = next + length;
                }

                from = next + 1;
            }

            builder.Append(span[copied..start]).Append(Mask).Append(span[end..]);
            return builder.ToString();
        }

        private int LongestAt(ReadOnlySpan<char> span, int index)
        {
            var rest = span[index..];
            foreach (var value in Ordered)
            {
                if (rest.StartsWith(value, StringComparison.Ordinal))
                {
                    return value.Length;
                }
            }

            return 0;
        }
    }
}
