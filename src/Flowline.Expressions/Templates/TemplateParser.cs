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
        parts = [];
        error = null;
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

            if (!TryFindClose(text, open, out var close, out error))
            {
                parts = null;
                return false;
            }

            var start = open + 2;
            if (text.AsSpan(start, close - start).IsWhiteSpace())
            {
                parts = null;
                error = new ExpressionError("empty '{{ }}': put an expression between the braces, e.g. {{ variables.buildNumber }}", open) { Code = ErrorCodes.Template };
                return false;
            }

            if (!Parser.TryParse(text, start, close, out var node, out error))
            {
                parts = null;
                return false;
            }

            parts.Add(new HolePart(node, text[start..close].Trim(), open));
            i = close + 2;
        }

        return true;
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
