namespace Flowline.Loading;

/// <summary>Resolves JSON pointers (RFC 6901, plus a trailing <c>#key</c> for a mapping key) against a node tree.</summary>
internal static class YamlPointer
{
    private const string KeySuffix = "#key";

    /// <summary>The node at <paramref name="pointer"/>; with <paramref name="nearest"/>, the deepest existing ancestor instead of null.</summary>
    public static YamlNode? Resolve(YamlNode root, string pointer, bool nearest)
    {
        var wantKey = pointer.EndsWith(KeySuffix, StringComparison.Ordinal);
        var path = wantKey ? pointer.AsSpan(0, pointer.Length - KeySuffix.Length) : pointer.AsSpan();
        var node = root;
        while (!path.IsEmpty)
        {
            if (path[0] != '/')
            {
                return nearest ? node : null;
            }

            path = path[1..];
            var end = path.IndexOf('/');
            var raw = end < 0 ? path : path[..end];
            path = end < 0 ? [] : path[end..];
            var isLast = path.IsEmpty;
            YamlNode? next = null;
            switch (node)
            {
                case YamlMapping mapping:
                    var key = raw.Contains('~') ? Unescape(raw).AsSpan() : raw;
                    foreach (var entry in mapping.Entries)
                    {
                        if (key.SequenceEqual(entry.Key.Value))
                        {
                            next = isLast && wantKey ? entry.Key : entry.Value;
                            break;
                        }
                    }

                    break;
                case YamlSequence sequence when int.TryParse(raw, out var index) && index >= 0 && index < sequence.Items.Count:
                    next = sequence.Items[index];
                    break;
            }

            if (next is null)
            {
                return nearest ? node : null;
            }

            node = next;
        }

        return node;
    }

    /// <summary>Escapes a key for use as a pointer segment.</summary>
    public static string Escape(string key) =>
        key.AsSpan().IndexOfAny('~', '/') < 0 ? key : key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Unescape(ReadOnlySpan<char> segment) =>
        segment.ToString().Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
