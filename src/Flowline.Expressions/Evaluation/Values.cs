using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Flowline.Expressions.Evaluation;

internal enum ValueKind
{
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    List,
    Object,
}

/// <summary>
/// The value model: everything is normalised to string, double, bool, null, <see cref="Undefined"/>,
/// <see cref="IReadOnlyList{T}"/>, <see cref="IReadOnlyDictionary{TKey, TValue}"/> or a JSON object/array
/// <see cref="JsonElement"/> (JSON scalars become .NET scalars on the way in).
/// </summary>
internal static class Values
{
    private const int MaxValueDepth = 256;

    public static object? Normalize(object? value) => value switch
    {
        null => null,
        string or bool or double or Undefined => value,
        IStructuredText t => t.Text,
        int i => (double)i,
        long l => (double)l,
        decimal m => (double)m,
        float f => double.Parse(f.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        short or byte or sbyte or ushort or uint or ulong => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        JsonElement e => FromJson(e),
        IReadOnlyDictionary<string, object?> or IReadOnlyList<object?> => value,
        IDictionary d => CopyDictionary(d),
        IEnumerable items => items.Cast<object?>().ToList(),
        char c => c.ToString(),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Object or JsonValueKind.Array => e,
        _ => Undefined.Value,
    };

    private static Dictionary<string, object?> CopyDictionary(IDictionary d)
    {
        var copy = new Dictionary<string, object?>(d.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in d)
        {
            copy[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = entry.Value;
        }

        return copy;
    }

    /// <summary>The kind of a normalised value.</summary>
    public static ValueKind KindOf(object? value) => value switch
    {
        null => ValueKind.Null,
        Undefined => ValueKind.Undefined,
        bool => ValueKind.Boolean,
        double => ValueKind.Number,
        string => ValueKind.String,
        JsonElement { ValueKind: JsonValueKind.Array } or IReadOnlyList<object?> => ValueKind.List,
        _ => ValueKind.Object,
    };

    public static string Describe(object? value) => KindOf(value) switch
    {
        ValueKind.Undefined => "undefined",
        ValueKind.Null => "null",
        ValueKind.Boolean => "a boolean",
        ValueKind.Number => "a number",
        ValueKind.String => "a string",
        ValueKind.List => "a list",
        _ => "an object",
    };

    /// <summary>JavaScript truthiness: false, 0, NaN, '', null and undefined are falsy; lists and objects are truthy.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    /// <summary>
    /// Normalises a value that is about to be the target of another member or index read: structured text keeps its
    /// fields there (see <see cref="IStructuredText"/>); everywhere else <see cref="Normalize"/> turns it into text.
    /// </summary>
    public static object? NormalizeTarget(object? value) => value is IStructuredText ? value : Normalize(value);

    /// <summary>Reads a member; the result is normalised by <see cref="NormalizeTarget"/>.</summary>
    public static object? Member(object? target, string name)
    {
        switch (target)
        {
            case IStructuredText t:
                return t.TryGetField(name, out var field) ? NormalizeTarget(field) : Member(t.Text, name);
            case IReadOnlyDictionary<string, object?> d:
                return d.TryGetValue(name, out var v) ? NormalizeTarget(v) : Undefined.Value;
            case JsonElement { ValueKind: JsonValueKind.Object } e:
                return e.TryGetProperty(name, out var p) ? Normalize(p) : Undefined.Value;
            case JsonElement { ValueKind: JsonValueKind.Array } e when name == "length":
                return (double)e.GetArrayLength();
            case IReadOnlyList<object?> l when name == "length":
                return (double)l.Count;
            case string s when name == "length":
                return (double)s.Length;
            default:
                return Undefined.Value;
        }
    }

    public static object? Index(object? target, object? key)
    {
        if (key is string name)
        {
            return Member(target, name);
        }

        if (key is not double d)
        {
            return Undefined.Value;
        }

        if (target is IStructuredText || KindOf(target) == ValueKind.Object)
        {
            return Member(target, ValueFormatter.FormatNumber(d));
        }

        if (d < 0 || d != Math.Floor(d) || d > int.MaxValue)
        {
            return Undefined.Value;
        }

        var i = (int)d;
        return target switch
        {
            IReadOnlyList<object?> l => i < l.Count ? NormalizeTarget(l[i]) : Undefined.Value,
            JsonElement { ValueKind: JsonValueKind.Array } e => i < e.GetArrayLength() ? Normalize(e[i]) : Undefined.Value,
            _ => Undefined.Value,
        };
    }

    /// <summary>The items of a list value, normalised, or null when the value is not a list.</summary>
    public static IReadOnlyList<object?>? AsList(object? value) => value switch
    {
        IReadOnlyList<object?> l => l.Select(Normalize).ToList(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => Normalize(x)).ToList(),
        _ => null,
    };

    /// <summary>The properties of an object value, normalised, or null when the value is not an object.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>>? AsObject(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d.Select(p => new KeyValuePair<string, object?>(p.Key, Normalize(p.Value))).ToList(),
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, Normalize(p.Value))).ToList(),
        _ => null,
    };

    public static bool StrictEquals(object? a, object? b) => StrictEquals(a, b, 0);

    private static bool StrictEquals(object? a, object? b, int depth)
    {
        // Dictionaries from a scope could refer to themselves; fail the evaluation instead of the process.
        if (depth > MaxValueDepth)
        {
            throw new EvaluationException($"cannot compare values nested more than {MaxValueDepth} levels deep");
        }

        var kind = KindOf(a);
        if (kind != KindOf(b))
        {
            return false;
        }

        switch (kind)
        {
            case ValueKind.Undefined or ValueKind.Null:
                return true;
            case ValueKind.Boolean:
                return (bool)a! == (bool)b!;
            case ValueKind.Number:
                return (double)a! == (double)b!;
            case ValueKind.String:
                return string.Equals((string)a!, (string)b!, StringComparison.Ordinal);
            case ValueKind.List:
                {
                    // Deliberately structural rather than JavaScript's reference identity: values here come
                    // from JSON and dictionaries, where identity means nothing to the workflow author.
                    var x = AsList(a)!;
                    var y = AsList(b)!;
                    return x.Count == y.Count && x.Zip(y).All(p => StrictEquals(p.First, p.Second, depth + 1));
                }

            default:
                {
                    var x = AsObject(a)!;
                    var y = AsObject(b)!.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                    return x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && StrictEquals(p.Value, v, depth + 1));
                }
        }
    }

    /// <summary>JavaScript's == for the value model; the rules are listed on <see cref="Expression"/>.</summary>
    public static bool LooseEquals(object? a, object? b)
    {
        var ka = KindOf(a);
        var kb = KindOf(b);
        if (ka == kb)
        {
            return StrictEquals(a, b);
        }

        var aNullish = ka is ValueKind.Null or ValueKind.Undefined;
        var bNullish = kb is ValueKind.Null or ValueKind.Undefined;
        if (aNullish || bNullish)
        {
            return aNullish && bNullish;
        }

        if (ka == ValueKind.Boolean)
        {
            return LooseEquals((bool)a! ? 1d : 0d, b);
        }

        if (kb == ValueKind.Boolean)
        {
            return LooseEquals(a, (bool)b! ? 1d : 0d);
        }

        if (ka == ValueKind.Number && kb == ValueKind.String)
        {
            return (double)a! == ToNumber(b);
        }

        if (ka == ValueKind.String && kb == ValueKind.Number)
        {
            return ToNumber(a) == (double)b!;
        }

        return false;
    }

    /// <summary>JavaScript's ToNumber for scalars: '' and blanks are 0, null 0, true 1, undefined and lists NaN.</summary>
    public static double ToNumber(object? value) => value switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        null => 0,
        string s when s.Trim().Length == 0 => 0,
        string s => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN,
        _ => double.NaN,
    };

    public static bool Compare(object? a, object? b, Syntax.BinaryOperator op)
    {
        int? order;
        if (a is string sa && b is string sb)
        {
            order = Math.Sign(string.CompareOrdinal(sa, sb));
        }
        else if (KindOf(a) is ValueKind.List or ValueKind.Object || KindOf(b) is ValueKind.List or ValueKind.Object)
        {
            order = null;
        }
        else
        {
            var x = ToNumber(a);
            var y = ToNumber(b);
            order = double.IsNaN(x) || double.IsNaN(y) ? null : x.CompareTo(y);
        }

        return order is { } o && op switch
        {
            Syntax.BinaryOperator.Less => o < 0,
            Syntax.BinaryOperator.LessOrEqual => o <= 0,
            Syntax.BinaryOperator.Greater => o > 0,
            _ => o >= 0,
        };
    }
}
