using System.Text.Json;
using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>
/// The value of <c>steps.ID.output</c>: renders as the step's output text, while <c>steps.ID.output.KEY</c> reads a
/// named output from <c>FLOWLINE_OUTPUT</c>, or else a top-level field of the JSON object the step printed.
/// </summary>
internal sealed class StepOutput : IStructuredText
{
    private readonly IReadOnlyDictionary<string, string>? _named;
    private readonly JsonElement _json;

    private StepOutput(string text, IReadOnlyDictionary<string, string>? named, JsonElement json)
    {
        Text = text;
        _named = named;
        _json = json;
    }

    public string Text { get; }

    /// <summary>The expression value for a finished step's output.</summary>
    public static object? For(StepResult result)
    {
        if (result.Outputs.Count > 0)
        {
            return new StepOutput(ValueFormatter.Render(result.Output), result.Outputs, default);
        }

        if (result.Output is string text && TryParseObject(text, out var json))
        {
            return new StepOutput(text, null, json);
        }

        return result.Output;
    }

    /// <summary>
    /// The step's named outputs as reports list them (docs/reports.md): its <c>FLOWLINE_OUTPUT</c> values, or else the
    /// top-level fields of the JSON object it printed, each rendered as a template would, in the order written.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Named(StepResult result)
    {
        // The same precedence as steps.ID.output.KEY (For): the file wins, and stdout's fields count only without it.
        if (result.Outputs.Count > 0 || result.Output is not string text || !TryParseObject(text, out var json))
        {
            return result.Outputs;
        }

        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            // A repeated key keeps its last value, the one steps.ID.output.KEY reads (TryGetProperty matches the last).
            named[property.Name] = ValueFormatter.Render(property.Value);
        }

        return named;
    }

    public bool TryGetField(string name, out object? value)
    {
        if (_named is not null)
        {
            var found = _named.TryGetValue(name, out var named);
            value = named;
            return found;
        }

        if (_json.ValueKind == JsonValueKind.Object && _json.TryGetProperty(name, out var property))
        {
            value = property;
            return true;
        }

        value = null;
        return false;
    }

    public override string ToString() => Text;

    private static bool TryParseObject(string text, out JsonElement json)
    {
        json = default;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            json = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            // Text that merely looks like JSON is still a fine output; it just has no fields.
            return false;
        }
    }
}
