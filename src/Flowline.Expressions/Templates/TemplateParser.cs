using System.Diagnostics.CodeAnalysis;
using Flowline.Expressions.Parsing;

namespace Flowline.Expressions.Templates;

/// <summary>
/// Splits a template into literal text and <c>{{ }}</c> holes. A hole ends at the first <c>}}</c> outside a
/// string literal, so <c>{{ format('{0}}}', x) }}</c> works.
/// </summary>
internal static class TemplateParser
{
    public static bool TryParse(string text, [NotNullWhen(true)] out List<TemplatePart>? parts, [NotNullWhen(false)] out ExpressionError? error)
    {
        var errors = new List<ExpressionError>();
        var all = Parse(text, errors);
        parts = errors.Count == 0 ? all : null;
        error = errors.Count == 0 ? null : errors[0];
        return parts is not null;
    }

    /// <summary>
    /// Parses every hole, adding an error for each that does not parse to <paramref name="errors"/> and leaving it out
    /// of the parts, so one pass finds every broken hole (docs/diagnostics.md). Only a hole with no closing
    /// <c>}}</c> ends the pass: where the next hole starts cannot be known after it.
    /// </summary>
    public static List<TemplatePart> Parse(string text, List<ExpressionError> errors)
    {
        var parts = new List<TemplatePart>();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new LiteralPart(text[i..]));
                break;
            }

            if (open > i)
            {
                parts.Add(new LiteralPart(text[i..open]));
            }

            if (!TryFindClose(text, open, out var close, out var error))
            {
                errors.Add(error);
                break;
            }

            var start = open + 2;
            if (text.AsSpan(start, close - start).IsWhiteSpace())
            {
                errors.Add(new ExpressionError("empty '{{ }}': put an expression between the braces, e.g. {{ variables.buildNumber }}", open) { Code = ErrorCodes.Template });
            }
            else if (Parser.TryParse(text, start, close, out var node, out error))
            {
                parts.Add(new HolePart(node, text[start..close].Trim(), open));
            }
            else
            {
                errors.Add(error);
            }

            i = close + 2;
        }

        return parts;
    }

    private static bool TryFindClose(string text, int open, out int close, [NotNullWhen(false)] out ExpressionError? error)
    {
        var j = open + 2;
        while (j < text.Length)
        {
            var c = text[j];
            if (c is '\'' or '"')
            {
                if (!Lexer.TryScanString(text, j, text.Length, out _, out j, out error))
                {
                    // An unterminated quote inside a hole usually means the hole was never closed either; say both.
                    error = error.Code == ErrorCodes.String && !text.AsSpan(open).Contains("}}", StringComparison.Ordinal)
                        ? Unclosed(open)
                        : error;
                    close = -1;
                    return false;
                }

                continue;
            }

            if (c == '}' && j + 1 < text.Length && text[j + 1] == '}')
            {
                close = j;
                error = null;
                return true;
            }

            j++;
        }

        close = -1;
        error = Unclosed(open);
        return false;
    }

    private static ExpressionError Unclosed(int open) =>
        new("'{{' has no closing '}}': close the expression with '}}' (to write literal braces use {{ '{{' }})", open) { Code = ErrorCodes.Template };
}
