using System.Globalization;
using System.Text.Json;
using Flowline.Reporting;

namespace Flowline.State;

/// <summary>Converts between the engine's plain values and the JSON the store keeps (issue #6).</summary>
internal static class StateValues
{
    private static readonly JsonElement NullElement = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>
    /// A value as JSON, or null for none. Text longer than <paramref name="limitBytes"/> is kept as its first
    /// <paramref name="limitBytes"/> bytes plus a marker, so one chatty step cannot bloat the database
    /// (<see cref="ExecutionOptions.OutputLimitBytes"/>); the whole output is in the step's log file.
    /// </summary>
    public static JsonElement? ToElement(object? value, int limitBytes)
    {
        if (value is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            DetailedReport.WriteValue(json, value, 0);
        }

        if (limitBytes > 0 && buffer.Length > limitBytes)
        {
            var text = value as string ?? System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var cut = Truncate(text, limitBytes);
            return JsonSerializer.SerializeToElement(cut + $"… [truncated to {limitBytes.ToString(CultureInfo.InvariantCulture)} bytes]", StateJsonContext.Default.String);
        }

        using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        return document.RootElement.Clone();
    }

    /// <summary>A JSON value as the plain values the engine uses (string, bool, long, double, null, lists, maps).</summary>
    public static object? FromElement(JsonElement? element) => element is { } value ? FromElement(value) : null;

    private static object? FromElement(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => FromElement(p.Value), StringComparer.Ordinal),
        _ => null,
    };

    /// <summary>The variables as JSON, one element per name.</summary>
    public static IReadOnlyDictionary<string, JsonElement> ToElements(IReadOnlyDictionary<string, object?> values)
    {
        var map = new Dictionary<string, JsonElement>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            map[name] = ToElement(value, 0) ?? NullElement;
        }

        return map;
    }

    /// <summary>JSON variables back as plain values.</summary>
    public static IReadOnlyDictionary<string, object?> FromElements(IReadOnlyDictionary<string, JsonElement> values)
    {
        var map = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            map[name] = FromElement(value);
        }

        return map;
    }

    public static RunStatus ToRunStatus(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Completed => RunStatus.Completed,
        WorkflowStatus.Failed => RunStatus.Failed,
        WorkflowStatus.Cancelled => RunStatus.Cancelled,
        _ => RunStatus.Running,
    };

    /// <summary>
    /// The longest prefix of <paramref name="text"/> whose UTF-8 form fits in <paramref name="limitBytes"/>, cut on a
    /// character boundary so the stored JSON stays valid UTF-8. <paramref name="encoding"/> is UTF-8; tests pass one
    /// that counts the characters it measures.
    /// </summary>
    internal static string Truncate(string text, int limitBytes, System.Text.Encoding? encoding = null)
    {
        encoding ??= System.Text.Encoding.UTF8;
        if (encoding.GetByteCount(text) <= limitBytes)
        {
            return text;
        }

        // One pass over the prefix. Shortening it a character at a time and measuring it again each time was
        // quadratic: 2 MB of binary output (each invalid byte becomes U+FFFD, 3 bytes) took 2 minutes (issue 18).
        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            // A lone surrogate enumerates as U+FFFD, which is also what the encoder writes for it.
            bytes += rune.Utf8SequenceLength;
            if (bytes > limitBytes)
            {
                break;
            }

            length += rune.Utf16SequenceLength;
        }

        return text[..length];
    }
}
