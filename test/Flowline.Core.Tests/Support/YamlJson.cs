using System.Text.Json;
using System.Text.Json.Nodes;
using Flowline.Loading;

namespace Flowline.Core.Tests.Support;

/// <summary>YAML to JSON through the loader's own node tree and core-schema scalar resolution, so the schema sees what the loader sees.</summary>
internal static class YamlJson
{
    public static JsonElement? Convert(string path)
    {
        var root = YamlTreeReader.Read(File.ReadAllText(path), path, [], out _);
        return root is null ? null : JsonSerializer.SerializeToElement(ToNode(root));
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMapping mapping => new JsonObject(mapping.Entries.Select(e => KeyValuePair.Create(e.Key.Value, ToNode(e.Value)))),
        YamlSequence sequence => new JsonArray([.. sequence.Items.Select(ToNode)]),
        YamlScalar scalar => CoreSchema.Resolve(scalar) switch
        {
            null => null,
            bool b => JsonValue.Create(b),
            long l => JsonValue.Create(l),
            double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(scalar.Value),
            var other => JsonValue.Create((string)other),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };
}
