using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flowline.State;

/// <summary>
/// How a step's parallel group is kept outside the process. Before issue 11 it was a string everywhere (the
/// <c>parallel_group</c> TEXT column, <c>"parallelGroup": "1"</c> in snapshot JSON), and format-1 snapshot readers
/// still expect a string; so it is written as the number's invariant text and read from text or a JSON number.
/// Text that is not a whole number (only ever written by hand or through the public records) reads as no group.
/// </summary>
internal static class ParallelGroupText
{
    public static string? ToText(int? group) => group?.ToString(CultureInfo.InvariantCulture);

    public static int? FromText(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var group) ? group : null;
}

/// <summary>
/// <see cref="StepSnapshot.ParallelGroup"/> in snapshot JSON: written as a string so readers of format 1 keep
/// working, read from a string (every snapshot written so far) or a number (the natural form, should one appear).
/// </summary>
internal sealed class ParallelGroupJsonConverter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt32(out var group) => group,
        JsonTokenType.String => ParallelGroupText.FromText(reader.GetString()),
        _ => throw new JsonException($"'parallelGroup' must be a whole number or a string holding one, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } group)
        {
            writer.WriteStringValue(ParallelGroupText.ToText(group));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
