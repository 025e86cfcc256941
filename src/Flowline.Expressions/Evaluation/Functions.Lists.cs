namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>
    /// Issue 19: substring, first, last, at, slice. first, last, at and slice take a list or text (its characters, as
    /// JavaScript's <c>at</c> and <c>slice</c> do); null and undefined pass through like the other text functions.
    /// </summary>
    private static FunctionDefinition[] Lists() =>
    [
        new("substring", 2, 3, "substring(text, start, length?)", Substring),
        new("first", 1, 1, "first(listOrText)", (_, a) => ItemAt("first", a[0], 0, explicitIndex: false)),
        new("last", 1, 1, "last(listOrText)", (_, a) => ItemAt("last", a[0], -1, explicitIndex: false)),
        new("at", 2, 2, "at(listOrText, index)", (_, a) => a[0] is null or Undefined ? a[0] : ItemAt("at", a[0], WholeNumber("at", "index", a[1]), explicitIndex: true)),
        new("slice", 2, 3, "slice(listOrText, start, end?)", Slice),
    ];

    private static object? Substring(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var text = Text("substring", a[0]);
        var start = WholeNumber("substring", "start", a[1]);
        if (start < 0 || start > text.Length)
        {
            throw new EvaluationException($"substring(): start {start} is outside the text, which has {text.Length} characters; use slice() to count from the end");
        }

        var length = a.Count > 2 ? WholeNumber("substring", "length", a[2]) : text.Length - start;
        if (length < 0)
        {
            throw new EvaluationException($"substring(): the length must not be negative but was {length}");
        }

        return text.Substring((int)start, (int)Math.Min(length, text.Length - start));
    }

    private static object? ItemAt(string function, object? value, long index, bool explicitIndex)
    {
        if (value is null or Undefined)
        {
            return value;
        }

        var items = ItemsOf(function, value);
        var position = index < 0 ? items.Count + index : index;
        if (position >= 0 && position < items.Count)
        {
            return items[(int)position];
        }

        // An empty list has no first item, which is undefined as in JavaScript (falsy in a condition, a clear
        // "not defined" in a template); an index the author wrote that misses is a mistake worth naming.
        return explicitIndex
            ? throw new EvaluationException($"{function}(): index {index} is outside {Values.Describe(value)} of {items.Count} item{(items.Count == 1 ? "" : "s")}; use 0 to {items.Count - 1}, or -1 for the last")
            : Undefined.Value;
    }

    private static object? Slice(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var items = ItemsOf("slice", a[0]);
        var count = items.Count;
        long Clamp(long i) => Math.Clamp(i < 0 ? count + i : i, 0, count);
        var start = (int)Clamp(WholeNumber("slice", "start", a[1]));
        var end = a.Count > 2 && a[2] is not Undefined ? (int)Clamp(WholeNumber("slice", "end", a[2])) : count;
        var length = Math.Max(0, end - start);
        return a[0] is string text ? text.Substring(start, length) : items.Skip(start).Take(length).ToList();
    }

    private static IReadOnlyList<object?> ItemsOf(string function, object? value) => value switch
    {
        string s => s.Select(c => (object?)c.ToString()).ToList(),
        _ => Values.AsList(value) ?? throw new EvaluationException($"{function}() expects a list or text but was given {Values.Describe(value)}"),
    };

    /// <summary>A whole number argument; numbers arrive as double, so 1.5 or NaN is named rather than truncated.</summary>
    private static long WholeNumber(string function, string argument, object? value) =>
        value is double d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue
            ? (long)d
            : throw new EvaluationException($"{function}() expects a whole number as its {argument} but was given {(value is double n ? ValueFormatter.FormatNumber(n) : Values.Describe(value))}");
}
