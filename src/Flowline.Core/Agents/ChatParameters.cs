using System.Globalization;
using Microsoft.Extensions.AI;

namespace Flowline.Agents;

/// <summary>
/// Maps the agent parameters that have a meaning for a chat model to <see cref="ChatOptions"/> (issue 5):
/// <c>model</c>, <c>temperature</c>, <c>maxTokens</c>, <c>topP</c>, <c>seed</c>, <c>stop</c> and
/// <c>outputFormat: json</c>. Every other parameter is only readable in the prompt as <c>{{ parameters.NAME }}</c>,
/// never sent to the provider, where an unknown field could fail the request.
/// </summary>
internal static class ChatParameters
{
    public static readonly IReadOnlyList<string> Mapped = ["model", "temperature", "maxTokens", "topP", "seed", "stop", "outputFormat"];

    /// <summary>Whether the parameters ask for a JSON response.</summary>
    public static bool WantsJson(IReadOnlyDictionary<string, object?> parameters) =>
        parameters.GetValueOrDefault("outputFormat") is string format && format.Equals("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks literal values before a run; values still holding <c>{{ }}</c> are checked when they are rendered.</summary>
    public static string? Check(IReadOnlyDictionary<string, object?> parameters)
    {
        var literal = parameters
            .Where(p => p.Value is not string s || !s.Contains("{{", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return Apply(literal, new ChatOptions());
    }

    /// <summary>Sets the chat options the parameters map to; returns what is wrong, or null.</summary>
    public static string? Apply(IReadOnlyDictionary<string, object?> parameters, ChatOptions options)
    {
        foreach (var (key, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            switch (key)
            {
                case "model":
                    if (value is not string { Length: > 0 } model)
                    {
                        return Wrong(key, value, "a model name such as gpt-4o-mini");
                    }

                    options.ModelId = model;
                    break;
                case "temperature":
                    if (Number(value) is not { } temperature || temperature < 0 || temperature > 2)
                    {
                        return Wrong(key, value, "a number from 0 to 2");
                    }

                    options.Temperature = (float)temperature;
                    break;
                case "topP":
                    if (Number(value) is not { } topP || topP < 0 || topP > 1)
                    {
                        return Wrong(key, value, "a number from 0 to 1");
                    }

                    options.TopP = (float)topP;
                    break;
                case "maxTokens":
                    if (Number(value) is not { } max || max < 1 || max != Math.Floor(max) || max > int.MaxValue)
                    {
                        return Wrong(key, value, "a whole number of tokens, at least 1");
                    }

                    options.MaxOutputTokens = (int)max;
                    break;
                case "seed":
                    if (Number(value) is not { } seed || seed != Math.Floor(seed))
                    {
                        return Wrong(key, value, "a whole number");
                    }

                    options.Seed = (long)seed;
                    break;
                case "stop":
                    if (value is string stop)
                    {
                        options.StopSequences = [stop];
                    }
                    else if (value is IReadOnlyList<object?> stops && stops.All(s => s is string))
                    {
                        options.StopSequences = [.. stops.Cast<string>()];
                    }
                    else
                    {
                        return Wrong(key, value, "a string or a list of strings");
                    }

                    break;
                case "outputFormat":
                    if (value is not string format || !(format.Equals("json", StringComparison.OrdinalIgnoreCase) || format.Equals("text", StringComparison.OrdinalIgnoreCase)))
                    {
                        return Wrong(key, value, "json or text");
                    }

                    options.ResponseFormat = format.Equals("json", StringComparison.OrdinalIgnoreCase) ? ChatResponseFormat.Json : ChatResponseFormat.Text;
                    break;
            }
        }

        return null;
    }

    private static double? Number(object value) => value switch
    {
        long l => l,
        int i => i,
        double d when double.IsFinite(d) => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    private static string Wrong(string key, object value, string expected) =>
        $"parameter '{key}' is {Describe(value)}, but must be {expected}";

    private static string Describe(object value) => value switch
    {
        string s => $"'{(s.Length > 40 ? s[..40] + "…" : s)}'",
        bool b => b ? "true" : "false",
        IReadOnlyList<object?> => "a list",
        IReadOnlyDictionary<string, object?> => "a map",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => "a value of another type",
    };
}
