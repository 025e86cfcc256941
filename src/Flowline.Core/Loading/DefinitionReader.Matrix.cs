namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    /// <summary>
    /// A step's <c>matrix:</c> block (issue 13, docs/matrix.md): every key but <c>include</c>, <c>exclude</c>,
    /// <c>maxParallel</c> and <c>limit</c> is an axis, a list of values or a template that yields one.
    /// </summary>
    private MatrixOptions? Matrix(YamlNode node)
    {
        if (Mapping(node, "the step 'matrix' block", "a mapping of axes (os: [linux, mac]) with optional include, exclude, maxParallel and limit") is not { } mapping)
        {
            return null;
        }

        var axes = new List<MatrixAxis>(mapping.Entries.Count);
        IReadOnlyList<IReadOnlyDictionary<string, object?>>? include = null;
        IReadOnlyList<IReadOnlyDictionary<string, object?>>? exclude = null;
        int? maxParallel = null;
        int? limit = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "include":
                    include = Combinations(value, "'matrix.include'");
                    break;
                case "exclude":
                    exclude = Combinations(value, "'matrix.exclude'");
                    break;
                case "maxParallel":
                    maxParallel = Integer(value, "'matrix.maxParallel'");
                    break;
                case "limit":
                    limit = Integer(value, "'matrix.limit'");
                    break;
                default:
                    if (!FormatKeys.IsExtension(key.Value) && Axis(key.Value, value) is { } axis)
                    {
                        axes.Add(axis);
                    }

                    break;
            }
        }

        return new MatrixOptions
        {
            Axes = axes,
            Include = include ?? [],
            Exclude = exclude ?? [],
            MaxParallel = maxParallel,
            Limit = limit,
        };
    }

    private MatrixAxis? Axis(string name, YamlNode node)
    {
        if (node is YamlSequence sequence)
        {
            return new MatrixAxis { Name = name, Values = (IReadOnlyList<object?>?)Plain(sequence, 0) ?? [] };
        }

        if (node is YamlScalar scalar && Expressions.Template.ContainsTemplate(scalar.Value))
        {
            return new MatrixAxis { Name = name, Template = scalar.Value };
        }

        WrongType(node, $"the matrix axis '{name}'", "a list of values, such as [linux, mac], or a template that yields a list, such as \"{{ variables.files }}\"");
        return null;
    }

    private IReadOnlyDictionary<string, object?>[]? Combinations(YamlNode node, string what)
    {
        if (node is not YamlSequence sequence)
        {
            WrongType(node, what, "a list of mappings, such as [{ os: linux, node: 22 }]");
            return null;
        }

        var items = new List<IReadOnlyDictionary<string, object?>>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            if (FreeMap(item, $"an item of {what}") is { } map)
            {
                items.Add(map);
            }
        }

        return [.. items];
    }
}
