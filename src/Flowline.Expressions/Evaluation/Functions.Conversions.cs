using System.Globalization;

namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>
    /// Issue 19: default, empty, notEmpty, toNumber, toString, toBoolean. The conversions agree with how
    /// <c>--var</c> types a value (<c>VariablesFile.ParseValue</c> in Flowline.Core, tested against this): text that
    /// <c>--var</c> makes a number or a boolean converts to that same value, and <c>toString</c> gives back the text.
    /// </summary>
    private static FunctionDefinition[] Conversions() =>
    [
        new("default", 2, 2, "default(value, fallback)", (_, a) => a[0] is null or Undefined || a[0] is "" ? a[1] : a[0]),
        new("empty", 1, 1, "empty(value)", (_, a) => IsEmptyValue(a[0])),
        new("notEmpty", 1, 1, "notEmpty(value)", (_, a) => !IsEmptyValue(a[0])),
        new("toNumber", 1, 1, "toNumber(value)", (_, a) => ConvertToNumber(a[0])),
        new("toString", 1, 1, "toString(value)", (_, a) => a[0] is null or Undefined ? a[0] : ValueFormatter.Render(a[0])),
        new("toBoolean", 1, 1, "toBoolean(value)", (_, a) => ConvertToBoolean(a[0])),
    ];

    private static bool IsEmptyValue(object? value) => value switch
    {
        null or Undefined => true,
        string s => s.Length == 0,
        _ when Values.AsList(value) is { } list => list.Count == 0,
        _ when Values.AsObject(value) is { } properties => properties.Count == 0,
        _ => false,
    };

    private static object? ConvertToNumber(object? value)
    {
        switch (value)
        {
            case null or Undefined or double:
                return value;
            case bool b:
                return b ? 1d : 0d;
            case string s:
                // Decimal only (no hex, no 'Infinity'), so the result is always a finite number a template renders as digits.
                var trimmed = s.Trim();
                return trimmed.Length > 0 && trimmed.All(c => c is (>= '0' and <= '9') or '.' or '-' or '+' or 'e' or 'E')
                    && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? d
                    : throw new EvaluationException($"toNumber() cannot read '{s}' as a number: write digits with an optional sign, '.' and exponent, e.g. '42' or '-3.5'");
            default:
                throw new EvaluationException($"toNumber() expects text, a number or a boolean but was given {Values.Describe(value)}");
        }
    }

    private static object? ConvertToBoolean(object? value) => value switch
    {
        null or Undefined or bool => value,
        double d => Values.IsTruthy(d),

        // Ignoring case accepts the 'True' that Python and PowerShell print; --var itself types only lower case.
        string s when s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        string s when s.Trim().Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        string s => throw new EvaluationException($"toBoolean() cannot read '{s}' as a boolean: use 'true' or 'false'"),
        _ => throw new EvaluationException($"toBoolean() expects text, a number or a boolean but was given {Values.Describe(value)}"),
    };
}
