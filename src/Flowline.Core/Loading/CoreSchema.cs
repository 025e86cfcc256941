using System.Globalization;
using System.Text.RegularExpressions;

namespace Flowline.Loading;

/// <summary>
/// Resolution of plain scalars by the YAML 1.2 core schema (spec 1.2.2 §10.3.2): null, booleans, integers
/// (decimal, <c>0o</c> octal, <c>0x</c> hex) and floats; everything else, and every quoted scalar, is a string.
/// Unlike YAML 1.1, <c>yes</c>, <c>on</c> and <c>off</c> stay strings.
/// </summary>
internal static partial class CoreSchema
{
    public static bool IsNull(string value) =>
        value.Length == 0 || value is "~" or "null" or "Null" or "NULL";

    public static bool TryBoolean(string value, out bool result)
    {
        switch (value)
        {
            case "true" or "True" or "TRUE":
                result = true;
                return true;
            case "false" or "False" or "FALSE":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    public static bool TryInteger(string value, out long result)
    {
        result = 0;
        if (value.Length > 2 && value[0] == '0' && value[1] == 'x')
        {
            return long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result) && result >= 0;
        }

        if (value.Length > 2 && value[0] == '0' && value[1] == 'o')
        {
            foreach (var c in value.AsSpan(2))
            {
                if (c is < '0' or > '7' || result > (long.MaxValue >> 3))
                {
                    return false;
                }

                result = (result << 3) | (long)(c - '0');
            }

            return true;
        }

        var start = value.Length > 0 && value[0] is '-' or '+' ? 1 : 0;
        if (start == value.Length)
        {
            return false;
        }

        for (var i = start; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    public static bool TryFloat(string value, out double result)
    {
        result = 0;
        if (value.Length == 0)
        {
            return false;
        }

        switch (value)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                result = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                result = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                result = double.NaN;
                return true;
        }

        return FloatPattern().IsMatch(value)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>The plain value of a scalar: null, bool, long, double or string.</summary>
    public static object? Resolve(YamlScalar scalar)
    {
        if (!scalar.IsPlain)
        {
            return scalar.Value;
        }

        var value = scalar.Value;
        if (IsNull(value))
        {
            return null;
        }

        if (TryBoolean(value, out var b))
        {
            return b;
        }

        if (TryInteger(value, out var l))
        {
            return l;
        }

        return TryFloat(value, out var d) ? d : value;
    }

    /// <summary>Names what a plain scalar resolves to, for "expected X, found Y" messages.</summary>
    public static string Describe(string value) =>
        IsNull(value) ? "null (an empty value)"
        : TryBoolean(value, out _) ? $"the boolean {value}"
        : TryInteger(value, out _) ? $"the integer {value}"
        : TryFloat(value, out _) ? $"the number {value}"
        : $"the string \"{value}\"";

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
