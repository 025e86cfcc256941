namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    // A workflow's top-level outputs (issue 14): names to templates, each one text; a mapping or a list is no template.
    private Dictionary<string, string>? Outputs(YamlNode node)
    {
        if (Mapping(node, "the workflow 'outputs'", "a mapping of output names to templates (url: \"{{ steps.push.output.url }}\")") is not { } mapping)
        {
            return null;
        }

        var outputs = new Dictionary<string, string>(mapping.Entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            if (FormatKeys.IsExtension(key.Value))
            {
                continue;
            }

            if (value is YamlScalar scalar)
            {
                outputs[key.Value] = scalar.IsPlain && CoreSchema.IsNull(scalar.Value) ? string.Empty : scalar.Value;
                continue;
            }

            WrongType(value, $"workflow output '{key.Value}'", "one template text (\"{{ steps.push.output.url }}\")");
        }

        return outputs;
    }
}
