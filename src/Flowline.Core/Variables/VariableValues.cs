using System.Globalization;
using Flowline.Expressions;
using Flowline.Loading;

namespace Flowline.Variables;

/// <summary>
/// The one check of a value against a declared variable (issue 13): used for defaults and enum values at validation
/// time and for the values a run is given. A value of another type is converted when the conversion loses nothing
/// (<c>--var replicas=3</c> is already the number 3; <c>--var tag=1</c> for a string variable is the text "1").
/// </summary>
internal static class VariableValues
{
    public static string TypeName(VariableType type) => type switch
    {
        VariableType.Number => "number",
        VariableType.Boolean => "boolean",
        VariableType.List => "list",
        _ => "string",
    };

    /// <summary>Converts <paramref name="value"/> to <paramref name="type"/>; false when it is not a value of that type.</summary>
    public static bool TryConvert(VariableType type, object? value, out object? converted)
    {
        converted = null;
        switch (type)
        {
            case VariableType.String:
                converted = value switch
                {
                    string s => s,
                    bool or long or int or double => ValueFormatter.Render(value),
                    _ => null,
                };
                break;
            case VariableType.Number:
                converted = value switch
                {
                    long or double => value,
                    int i => (long)i,
                    string s when CoreSchema.TryInteger(s.Trim(), out var l) => l,
                    string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
                    _ => null,
                };
                break;
            case VariableType.Boolean:
                converted = value switch
                {
                    bool => value,
                    string s when CoreSchema.TryBoolean(s, out var b) => b,
                    _ => null,
                };
                break;
            case VariableType.List:
                converted = value is IReadOnlyList<object?> ? value : null;
                break;
        }

        return converted is not null;
    }

    /// <summary>Whether <paramref name="value"/> (already converted) is one of the declared enum values.</summary>
    public static bool IsAllowed(VariableDefinition variable, object? value)
    {
        if (variable.Enum is not { } allowed)
        {
            return true;
        }

        foreach (var option in allowed)
        {
            if (TryConvert(variable.Type, option, out var typed) && Same(typed, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value as a message shows it: strings quoted, lists and mappings named.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IReadOnlyList<object?> => "a list",
        IReadOnlyDictionary<string, object?> => "a mapping",
        _ => ValueFormatter.Render(value),
    };

    /// <summary>The enum values as a message lists them.</summary>
    public static string Options(VariableDefinition variable) =>
        string.Join(", ", (variable.Enum ?? []).Select(static o => ValueFormatter.Render(o)));

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        _ => Equals(a, b),
    };
}
