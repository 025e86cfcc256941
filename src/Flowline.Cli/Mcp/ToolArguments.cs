using System.Globalization;
using System.Text.Json;

namespace Flowline.Cli.Mcp;

/// <summary>A tool call's arguments, read by name; a missing or mistyped one is a <see cref="ToolError"/> naming the fix.</summary>
internal sealed class ToolArguments(string tool, IDictionary<string, JsonElement>? arguments)
{
    public string RequiredString(string name) =>
        OptionalString(name) is { Length: > 0 } value ? value : throw new ToolError($"{tool}: '{name}' is required; give it as a string.");

    public string? OptionalString(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        var other => throw new ToolError($"{tool}: '{name}' must be a string, not {Kind(other.Value)}."),
    };

    public int OptionalInt(string name, int fallback, int min, int max) => Get(name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) && number >= min && number <= max => number,
        var other => throw new ToolError(string.Create(CultureInfo.InvariantCulture, $"{tool}: '{name}' must be a whole number from {min} to {max}, not {other.Value.GetRawText()}.")),
    };

    public bool OptionalBool(string name) => Get(name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var other => throw new ToolError($"{tool}: '{name}' must be true or false, not {Kind(other.Value)}."),
    };

    public IReadOnlyDictionary<string, JsonElement> OptionalObject(string name) => Get(name) switch
    {
        null => new Dictionary<string, JsonElement>(StringComparer.Ordinal),
        { ValueKind: JsonValueKind.Object } value => value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
        var other => throw new ToolError($"{tool}: '{name}' must be an object of NAME: value pairs, not {Kind(other.Value)}."),
    };

    private JsonElement? Get(string name) =>
        arguments is not null && arguments.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
