using System.Text;
using System.Text.Json;

namespace Flowline.Agents.Chat;

/// <summary>
/// A server's response body made short enough for an error message (issue 18): the <c>error.message</c> of an
/// OpenAI-style error, else the text itself on one line, cut at <see cref="MaxLength"/> characters.
/// </summary>
internal static class ResponseBody
{
    public const int MaxLength = 300;

    /// <summary>What the body says, for "HTTP 500 Internal Server Error: …".</summary>
    public static string Describe(BinaryData? body)
    {
        var text = body is null ? "" : body.ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(empty body)";
        }

        return ErrorMessageOf(text) ?? Cut(text);
    }

    /// <summary>The text on one line, cut at <see cref="MaxLength"/> characters with "…" when longer.</summary>
    public static string Cut(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            if (line.Length == MaxLength)
            {
                return line.Append('…').ToString();
            }

            line.Append(c);
        }

        return line.ToString();
    }

    /// <summary>True when <paramref name="text"/> is one JSON value.</summary>
    public static bool IsJson(string text, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }

    // {"error": {"message": "…", "type": "…", "code": "…"}}: the message, with the type and code when given.
    private static string? ErrorMessageOf(string text)
    {
        if (!IsJson(text, out var root)
            || root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("error", out var error)
            || error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("message", out var message)
            || message.ValueKind != JsonValueKind.String
            || message.GetString() is not { Length: > 0 } said)
        {
            return null;
        }

        var kinds = new[] { "type", "code" }
            .Select(name => error.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : "")
            .Where(value => value.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return kinds.Count == 0 ? Cut(said) : Cut($"{said} ({string.Join(", ", kinds)})");
    }
}
