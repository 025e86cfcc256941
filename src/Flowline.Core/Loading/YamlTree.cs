namespace Flowline.Loading;

/// <summary>
/// The small node tree the loader reads the YAML event stream into: only what mapping to the model needs
/// (kind, 1-based position, scalar text and whether it was quoted), so a 10,000-step file costs one object per node.
/// </summary>
internal abstract class YamlNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Set when the loader reported this node as having the wrong type, so the validator does not report it again as missing.</summary>
    public bool Rejected { get; set; }

    /// <summary>The kind in the words error messages use: "a mapping", "a list", "a string".</summary>
    public abstract string Describe();
}

/// <summary>How a scalar was written; expression diagnostics use it to map an offset in the value to a column (issue 4).</summary>
internal enum ScalarForm
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

internal sealed class YamlScalar(int line, int column, string value, bool isPlain, ScalarForm form = ScalarForm.Plain) : YamlNode(line, column)
{
    public string Value { get; } = value;

    public ScalarForm Form { get; } = form;

    /// <summary>True for an unquoted, untagged scalar: only these resolve to null, booleans and numbers (YAML 1.2 core schema).</summary>
    public bool IsPlain { get; } = isPlain;

    public override string Describe() => IsPlain ? CoreSchema.Describe(Value) : $"the string \"{Value}\"";
}

internal sealed class YamlSequence(int line, int column) : YamlNode(line, column)
{
    public List<YamlNode> Items { get; } = [];

    public override string Describe() => "a list";
}

internal sealed class YamlMapping(int line, int column) : YamlNode(line, column)
{
    /// <summary>Entries in file order; duplicate keys are reported while reading and only the first is kept.</summary>
    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    public override string Describe() => "a mapping";

    public YamlNode? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }

    public YamlScalar? FindKey(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Key;
            }
        }

        return null;
    }
}
