namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    /// <summary>A step's <c>cache:</c> block (issue 14, docs/caching.md).</summary>
    private CacheOptions? Cache(YamlNode node)
    {
        if (Mapping(node, "the step 'cache' block", "a mapping with sources, outputs and key") is not { } mapping)
        {
            return null;
        }

        IReadOnlyList<string>? sources = null;
        IReadOnlyList<string>? outputs = null;
        string? key = null;
        foreach (var (name, value) in mapping.Entries)
        {
            switch (name.Value)
            {
                case "sources":
                    sources = StringList(value, "'cache.sources'", allowSingle: true);
                    break;
                case "outputs":
                    outputs = StringList(value, "'cache.outputs'", allowSingle: true);
                    break;
                case "key":
                    key = String(value, "'cache.key'");
                    break;
                default:
                    UnknownKey(name, FormatKeys.Cache, "in the step 'cache' block");
                    break;
            }
        }

        return new CacheOptions { Sources = sources ?? [], Outputs = outputs ?? [], Key = key };
    }
}
