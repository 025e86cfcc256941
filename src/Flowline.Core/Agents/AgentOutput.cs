using System.Text.Json;

namespace Flowline.Agents;

/// <summary>
/// Turns a response into the step's output: the text as it is, or with <c>outputFormat: json</c> the parsed
/// JSON (a <see cref="JsonElement"/>, so <c>steps.ID.output.FIELD</c> reads its fields). A response wrapped in
/// a Markdown code fence, as models often write it, is unwrapped first.
/// </summary>
internal static class AgentOutput
{
    public static bool TryParseJson(string text, out JsonElement value, out string error)
    {
        var json = Unfence(text.Trim());
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            value = document.RootElement.Clone();
            error = "";
            return true;
        }
        catch (JsonException ex)
        {
            value = default;
            var start = json.Length > 120 ? json[..120] + "…" : json;
            error = $"the agent was asked for JSON (outputFormat: json) but its response is not valid JSON ({ex.Message}); the response starts: {start}";
            return false;
        }
    }

    private static string Unfence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
        {
            return text;
        }

        var firstNewline = text.IndexOf('\n', StringComparison.Ordinal);
        return firstNewline < 0 ? text : text[(firstNewline + 1)..^3].Trim();
    }
}
