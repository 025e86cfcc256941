using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Flowline.Expressions;

namespace Flowline.Planning;

/// <summary>Where a matrix axis written as a template takes its values from (issue 13).</summary>
internal enum AxisSource
{
    /// <summary>Not one expression reading <c>variables</c> or <c>steps</c>.</summary>
    Invalid,

    /// <summary>Reads only <c>variables</c>: expanded before the run starts.</summary>
    Variables,

    /// <summary>Reads <c>steps</c>: expanded when those steps finish.</summary>
    Steps,
}

/// <summary>A matrix axis written as <c>"{{ expression }}"</c>: one expression whose value is the axis's list.</summary>
internal static class AxisTemplate
{
    /// <summary>Reads the axis text: which roots it reads, and its expression when it is one.</summary>
    public static AxisSource Read(string text, out Expression? expression, [NotNullWhen(false)] out string? error)
    {
        expression = null;
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.StartsWith("{{") || !trimmed.EndsWith("}}") || trimmed[2..^2].Contains("{{", StringComparison.Ordinal))
        {
            error = "which is not one {{ }} expression (text around it would make it a string, not a list)";
            return AxisSource.Invalid;
        }

        if (!Expression.TryParse(trimmed[2..^2].ToString(), out expression, out var parse))
        {
            error = $"which does not parse: {parse.Message}";
            return AxisSource.Invalid;
        }

        var source = AxisSource.Invalid;
        foreach (var reference in expression.References)
        {
            switch (reference.Root)
            {
                case "variables" when source != AxisSource.Steps:
                    source = AxisSource.Variables;
                    break;
                case "steps" when reference.Segments.Count > 0:
                    source = AxisSource.Steps;
                    break;
                default:
                    error = $"which reads '{reference}'; an axis can read only 'variables' and 'steps'";
                    return AxisSource.Invalid;
            }
        }

        error = source == AxisSource.Invalid ? "which reads neither 'variables' nor 'steps'" : string.Empty;
        return source;
    }

    /// <summary>Evaluates the axis; a JSON array printed as text counts as a list.</summary>
    /// <param name="expression">The axis's expression.</param>
    /// <param name="scope">What it reads.</param>
    /// <param name="list">The list, when it is one.</param>
    /// <param name="failure">Why not, with <paramref name="fix"/>.</param>
    /// <param name="fix">How to fix a value that is not a list; null for a variable's.</param>
    public static bool TryEvaluate(Expression expression, IExpressionScope scope, [NotNullWhen(true)] out IReadOnlyList<object?>? list, [NotNullWhen(false)] out string? failure, string? fix = null)
    {
        list = null;
        if (!expression.TryEvaluate(scope, out var value, out var error))
        {
            failure = $"could not be evaluated: {error}";
            return false;
        }

        list = AsList(value);
        if (list is null)
        {
            failure = $"yielded {Describe(value)}, not a list; {fix ?? "give a list (a list variable, or a JSON array such as [\"a\", \"b\"])"}";
            return false;
        }

        failure = null;
        return true;
    }

    private static IReadOnlyList<object?>? AsList(object? value)
    {
        switch (value)
        {
            case IReadOnlyList<object?> items:
                return items;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                return [.. array.EnumerateArray().Select(FromJson)];
            case IStructuredText structured:
                return AsList(structured.Text);
            case string text when text.AsSpan().Trim().StartsWith("["):
                try
                {
                    using var document = JsonDocument.Parse(text);
                    return document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray().Select(FromJson)] : null;
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var whole) ? whole : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => e.GetRawText(),
    };

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        Undefined => "nothing (undefined)",
        string text => $"the text \"{(text.Length > 60 ? text[..60] + "…" : text)}\"",
        _ => $"'{ValueFormatter.Render(value)}'",
    };
}
