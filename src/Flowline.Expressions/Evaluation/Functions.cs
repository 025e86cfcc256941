using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Flowline.Expressions.Evaluation;

internal delegate object? FunctionBody(IExpressionScope scope, IReadOnlyList<object?> arguments);

internal sealed record FunctionDefinition(string Name, int MinArguments, int MaxArguments, string Usage, FunctionBody Body)
{
    public string ArityText => MinArguments == MaxArguments
        ? $"{MinArguments} argument{(MinArguments == 1 ? "" : "s")}"
        : MaxArguments == int.MaxValue ? $"at least {MinArguments} argument{(MinArguments == 1 ? "" : "s")}" : $"{MinArguments} to {MaxArguments} arguments";
}

/// <summary>
/// The built-in functions. None reads files, the process environment or ambient time: an expression
/// can only see what its scope hands it (issue #4, "it must never run code").
/// </summary>
/// <remarks>
/// Text functions pass null and undefined through unchanged, so <c>upper(variables.x)</c> on an unset
/// variable is still undefined: falsy in a condition and a clear "not defined" error in a template.
/// The predicates <c>contains</c>, <c>startsWith</c> and <c>endsWith</c> are false on null or undefined.
/// </remarks>
internal static partial class Functions
{
    // Each family of functions lives in its own file (Functions.FAMILY.cs) as a method, not a field: the order in which
    // static fields of different partial files are initialised is not defined, so the table must not read one.
    private static readonly Dictionary<string, FunctionDefinition> Table = Core()
        .Concat(Dates()).Concat(Paths()).Concat(Lists()).Concat(Conversions())
        .Concat(Arithmetic()).Concat(Patterns()).Concat(RandomNumbers())
        .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    private static FunctionDefinition[] Core() =>
    [
        new("contains", 2, 2, "contains(textOrList, item)", Contains),
        new("startsWith", 2, 2, "startsWith(text, prefix)", (_, a) => Predicate("startsWith", a, (s, x) => s.StartsWith(x, StringComparison.Ordinal))),
        new("endsWith", 2, 2, "endsWith(text, suffix)", (_, a) => Predicate("endsWith", a, (s, x) => s.EndsWith(x, StringComparison.Ordinal))),
        new("upper", 1, 1, "upper(text)", (_, a) => Transform("upper", a[0], s => s.ToUpperInvariant())),
        new("lower", 1, 1, "lower(text)", (_, a) => Transform("lower", a[0], s => s.ToLowerInvariant())),
        new("trim", 1, 1, "trim(text)", (_, a) => Transform("trim", a[0], s => s.Trim())),
        new("replace", 3, 3, "replace(text, find, replacement)", Replace),
        new("split", 2, 2, "split(text, separator)", Split),
        new("join", 1, 2, "join(list, separator?)", Join),
        new("length", 1, 1, "length(textListOrObject)", Length),
        new("format", 1, int.MaxValue, "format('{0}-{1}', a, b)", Format),
        new("toJSON", 1, 1, "toJSON(value)", (_, a) => a[0] is Undefined ? Undefined.Value : JsonText.Write(a[0])),
        new("fromJSON", 1, 1, "fromJSON(text)", FromJson),
        new("now", 0, 0, "now()", (scope, _) => scope.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture)),
        new("success", 0, 0, "success()", (scope, _) => !scope.Status.AnyFailed && !scope.Status.Cancelled),
        new("failure", 0, 0, "failure()", (scope, _) => scope.Status.AnyFailed),
        new("always", 0, 0, "always()", (_, _) => true),
        new("cancelled", 0, 0, "cancelled()", (scope, _) => scope.Status.Cancelled),
    ];

    /// <summary>The canonical function names, in documentation order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Values.Select(f => f.Name)];

    /// <summary>Looks a function up, ignoring case as GitHub Actions does; calls record the canonical name.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out FunctionDefinition? function) => Table.TryGetValue(name, out function);

    private static string Text(string function, object? value) => value switch
    {
        string s => s,
        double or bool => ValueFormatter.Render(value),
        _ => throw new EvaluationException($"{function}() expects text but was given {Values.Describe(value)}"),
    };

    private static object? Transform(string function, object? value, Func<string, string> transform) =>
        value is null or Undefined ? value : transform(Text(function, value));

    private static object? Predicate(string function, IReadOnlyList<object?> a, Func<string, string, bool> test) =>
        a[0] is not (null or Undefined) && a[1] is not (null or Undefined) && test(Text(function, a[0]), Text(function, a[1]));

    private static object? Contains(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (Values.AsList(a[0]) is { } list)
        {
            return list.Any(item => Values.StrictEquals(item, a[1]));
        }

        return Predicate("contains", a, (s, x) => s.Contains(x, StringComparison.Ordinal));
    }

    private static object? Replace(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var find = Text("replace", a[1]);
        if (find.Length == 0)
        {
            throw new EvaluationException("replace() cannot find the empty string: pass the text to replace as the second argument");
        }

        return Text("replace", a[0]).Replace(find, Text("replace", a[2]), StringComparison.Ordinal);
    }

    private static object? Split(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var text = Text("split", a[0]);
        var separator = Text("split", a[1]);

        // As in JavaScript, splitting on '' yields the characters.
        var parts = separator.Length == 0 ? text.Select(c => (object?)c.ToString()) : text.Split(separator).Select(s => (object?)s);
        return parts.ToList();
    }

    private static object? Join(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined or string)
        {
            return a[0];
        }

        var list = Values.AsList(a[0]) ?? throw new EvaluationException($"join() expects a list but was given {Values.Describe(a[0])}");
        var separator = a.Count > 1 ? Text("join", a[1]) : ",";
        return string.Join(separator, list.Select(ValueFormatter.Render));
    }

    private static object? Length(IExpressionScope scope, IReadOnlyList<object?> a) => a[0] switch
    {
        null or Undefined => a[0],
        string s => (double)s.Length,
        _ when Values.AsList(a[0]) is { } list => (double)list.Count,
        _ when Values.AsObject(a[0]) is { } properties => (double)properties.Count,
        _ => throw new EvaluationException($"length() expects text, a list or an object but was given {Values.Describe(a[0])}"),
    };

    /// <summary><c>{0}</c> placeholders by index; <c>{{</c> and <c>}}</c> for literal braces (as GitHub Actions' format).</summary>
    private static object? Format(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        var format = Text("format", a[0]);
        var sb = new StringBuilder(format.Length);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                sb.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                throw new EvaluationException($"format(): unmatched '}}' at offset {i} of the format string; write '}}}}' for a literal brace");
            }

            if (c != '{')
            {
                sb.Append(c);
                continue;
            }

            var close = format.IndexOf('}', i + 1);
            if (close < 0 || !int.TryParse(format.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new EvaluationException($"format(): invalid placeholder at offset {i} of the format string; use {{0}}, {{1}}, … or '{{{{' for a literal brace");
            }

            if (index + 1 >= a.Count)
            {
                throw new EvaluationException($"format(): placeholder {{{index}}} has no argument; {a.Count - 1} given");
            }

            if (a[index + 1] is Undefined)
            {
                return Undefined.Value;
            }

            sb.Append(ValueFormatter.Render(a[index + 1]));
            i = close;
        }

        return sb.ToString();
    }

    private static object? FromJson(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return a[0];
        }

        var text = Text("fromJSON", a[0]);
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = Expression.MaxDepth });
            return Values.Normalize(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new EvaluationException($"fromJSON() was given text that is not valid JSON: {e.Message}");
        }
    }
}
