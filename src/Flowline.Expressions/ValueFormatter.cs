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

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        return e < 0 ? text : FromScientific(text, e);
    }

    /// <summary>
    /// Re-lays out .NET's shortest round-trip scientific form ("1E-06") by JavaScript's Number::toString
    /// rules: plain decimals while the exponent is between -7 and 21, otherwise "1e-7" style.
    /// </summary>
    private static string FromScientific(string text, int e)
    {
        var negative = text[0] == '-';
        var mantissa = text[(negative ? 1 : 0)..e];
        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var k = digits.Length;
        var n = exponent + 1;
        var sign = negative ? "-" : "";
        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var fraction = k > 1 ? "." + digits[1..] : "";
        return sign + digits[0] + fraction + "e" + (n - 1 >= 0 ? "+" : "-") + Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture);
    }
}
