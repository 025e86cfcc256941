using System.Globalization;
using Flowline.Expressions.Evaluation;

namespace Flowline.Expressions;

/// <summary>
/// Turns an expression value into template text. Strings render as they are; numbers in invariant culture,
/// integers without a decimal point; booleans as <c>true</c>/<c>false</c>; null and undefined as the empty
/// string (inside lists and objects null stays JSON <c>null</c>); lists and objects as compact JSON.
/// </summary>
public static class ValueFormatter
{
    /// <summary>Renders <paramref name="value"/> by the rules above.</summary>
    /// <param name="value">Any value the evaluator deals in, or one a scope supplies (ints, JsonElement, …).</param>
    /// <returns>The text to put in place of a <c>{{ }}</c> hole.</returns>
    public static string Render(object? value)
    {
        var normalized = Values.Normalize(value);
        return normalized switch
        {
            null or Undefined => "",
            string s => s,
            double d => FormatNumber(d),
            bool b => b ? "true" : "false",
            _ => JsonText.Write(normalized),
        };
    }

    /// <summary>
    /// Formats a number as JavaScript prints it for the common cases: integers below 1e21 in full without
    /// ".0", other numbers shortest round-trip, NaN and Infinity by name.
    /// </summary>
    internal static string FormatNumber(double d)
    {
        if (d == 0)
        {
            return "0";
        }

        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            return d.ToString("F0", CultureInfo.InvariantCulture);
        }

        return d.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
    }
}
