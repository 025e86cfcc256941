using System.Text.Json;

namespace Flowline.Execution.Secrets;

/// <summary>Masking of a settled step's result, every text in it (issue 13).</summary>
internal sealed partial class SecretMasker
{
    /// <summary>
    /// <paramref name="result"/> with its output, named outputs, error, stdout, stderr, skip reason and metadata masked:
    /// what is recorded, reported, shown and read by later steps as <c>steps.ID</c>. The same instance without secrets.
    /// </summary>
    public StepResult Apply(StepResult result)
    {
        if (IsEmpty && !_sawCommand)
        {
            return result;
        }

        return result with
        {
            Output = ApplyToValue(result.Output is string output ? WithoutCommands(output) : result.Output),
            Error = ApplyOrNull(WithoutCommands(result.Error)),
            Stdout = ApplyOrNull(WithoutCommands(result.Stdout)),
            Stderr = ApplyOrNull(WithoutCommands(result.Stderr)),
            SkipReason = ApplyOrNull(result.SkipReason),
            Outputs = ApplyToMap(result.Outputs),
            Metadata = ApplyToObjects(result.Metadata),
        };
    }

    /// <summary>A value as executors return it: text, JSON, or lists and maps of them; other values are kept.</summary>
    public object? ApplyToValue(object? value) => value switch
    {
        null => null,
        string text => Apply(text),
        JsonElement json => ApplyToJson(json),
        IReadOnlyDictionary<string, object?> map => ApplyToObjects(map),
        IReadOnlyList<object?> list => list.Select(ApplyToValue).ToArray(),
        _ => value,
    };

    private IReadOnlyDictionary<string, string> ApplyToMap(IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return map;
        }

        var masked = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            masked[key] = Apply(value);
        }

        return masked;
    }

    private IReadOnlyDictionary<string, object?> ApplyToObjects(IReadOnlyDictionary<string, object?> map)
    {
        if (map.Count == 0)
        {
            return map;
        }

        var masked = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            masked[key] = ApplyToValue(value);
        }

        return masked;
    }

    /// <summary>JSON whose strings (keys included) hold a secret is written again with them masked; other JSON is kept.</summary>
    private JsonElement ApplyToJson(JsonElement json)
    {
        var raw = json.GetRawText();
        if (ReferenceEquals(Apply(raw), raw) && !HasEscapes(raw))
        {
            return json;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, json);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    // An escaped string (\u0041, \n) can hold a value its raw text does not show; such JSON is rewritten from its values.
    private static bool HasEscapes(string raw) => raw.Contains('\\', StringComparison.Ordinal);

    private void Write(Utf8JsonWriter writer, JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in json.EnumerateObject())
                {
                    writer.WritePropertyName(Apply(property.Name));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in json.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Apply(json.GetString()!));
                break;
            default:
                json.WriteTo(writer);
                break;
        }
    }
}
