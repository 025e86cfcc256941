namespace Flowline.Loading;

/// <summary>
/// Free-form YAML values as plain objects: null, bool, long, double, string (scalars typed by <see cref="CoreSchema"/>),
/// <c>object?[]</c> lists and read-only dictionaries. The one conversion the workflow loader, variables files and agents
/// files share, so a value reads the same wherever it is written (issue 11).
/// </summary>
internal static class YamlPlain
{
    /// <param name="node">The node to convert.</param>
    /// <param name="maxDepth">How deep lists and mappings may nest; past it <paramref name="tooDeep"/> is told and the value is null.</param>
    /// <param name="shared">
    /// Values already converted, by node: aliases share nodes, and converting each share once keeps "billion laughs"
    /// files linear. Null when the file has no aliases, which saves the dictionary.
    /// </param>
    /// <param name="tooDeep">Reports a node nested deeper than <paramref name="maxDepth"/>.</param>
    public static object? Convert(YamlNode node, int maxDepth, Dictionary<YamlNode, object?>? shared, Action<YamlNode> tooDeep) =>
        Convert(node, 0, maxDepth, shared, tooDeep);

    /// <summary>A cache for <see cref="Convert(YamlNode, int, Dictionary{YamlNode, object?}?, Action{YamlNode})"/>.</summary>
    public static Dictionary<YamlNode, object?> NewCache() => new(ReferenceEqualityComparer.Instance);

    private static object? Convert(YamlNode node, int depth, int maxDepth, Dictionary<YamlNode, object?>? shared, Action<YamlNode> tooDeep)
    {
        if (node is YamlScalar scalar)
        {
            return CoreSchema.Resolve(scalar);
        }

        if (depth > maxDepth)
        {
            tooDeep(node);
            return null;
        }

        if (shared is not null && shared.TryGetValue(node, out var cached))
        {
            return cached;
        }

        object? result;
        if (node is YamlSequence sequence)
        {
            var items = new object?[sequence.Items.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = Convert(sequence.Items[i], depth + 1, maxDepth, shared, tooDeep);
            }

            result = items;
        }
        else
        {
            var mapping = (YamlMapping)node;
            var map = new Dictionary<string, object?>(mapping.Entries.Count, StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Entries)
            {
                map[key.Value] = Convert(value, depth + 1, maxDepth, shared, tooDeep);
            }

            result = map;
        }

        if (shared is not null)
        {
            shared[node] = result;
        }

        return result;
    }
}
