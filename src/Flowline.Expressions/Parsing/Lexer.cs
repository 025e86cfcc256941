using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Flowline.Expressions.Parsing;

/// <summary>
/// Splits <c>text[start..end)</c> into tokens. Positions are offsets into the whole text, so errors in a
/// template hole point at the right column of the template.
/// </summary>
internal static class Lexer
{
    public static bool TryTokenize(string text, int start, int end, [NotNullWhen(true)] out List<Token>? tokens, [NotNullWhen(false)] out ExpressionError? error)
    {
        tokens = [];
        error = null;
        var i = start;
        while (true)
        {
            while (i < end && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= end)
            {
                tokens.Add(new Token(TokenKind.End, end, ""));
                return true;
            }

            var c = text[i];
            var afterDot = tokens.Count > 0 && tokens[^1].Kind == TokenKind.Dot;

            // After a dot a member name may start with a digit (step ids like "2-deploy"), so names win over numbers there.
            if (IsNameStart(c) || (afterDot && char.IsAsciiDigit(c)))
            {
                var s = i;
                i = ScanName(text, i, end);
                tokens.Add(new Token(TokenKind.Identifier, s, text[s..i]));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var s = i;
                i = ScanNumber(text, i, end);
                var literal = text[s..i];
                tokens.Add(new Token(TokenKind.Number, s, literal, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture)));
                continue;
            }

            if (c is '\'' or '"')
            {
                if (!TryScanString(text, i, end, out var value, out var next, out error))
                {
                    tokens = null;
                    return false;
                }

                tokens.Add(new Token(TokenKind.String, i, value));
                i = next;
                continue;
            }

            var (kind, length) = Operator(text, i, end);
            if (length == 0)
            {
                tokens = null;
                error = new ExpressionError(UnexpectedCharacter(c), i);
                return false;
            }

            tokens.Add(new Token(kind, i, text.Substring(i, length)));
            i += length;
        }
    }

    /// <summary>The operator or punctuation at <paramref name="i"/>, longest match first; length 0 when there is none.</summary>
    private static (TokenKind Kind, int Length) Operator(string text, int i, int end) => text[i] switch
    {
        '.' => (TokenKind.Dot, 1),
        '[' => (TokenKind.OpenBracket, 1),
        ']' => (TokenKind.CloseBracket, 1),
        '(' => (TokenKind.OpenParen, 1),
        ')' => (TokenKind.CloseParen, 1),
        ',' => (TokenKind.Comma, 1),
        '?' => (TokenKind.Question, 1),
        ':' => (TokenKind.Colon, 1),
        '-' => (TokenKind.Minus, 1),
        '+' => (TokenKind.Plus, 1),
        '*' => (TokenKind.Star, 1),
        '/' => (TokenKind.Slash, 1),
        '%' => (TokenKind.Percent, 1),
        '!' when Follows(text, i, end, "!==") => (TokenKind.StrictNotEqual, 3),
        '!' when Follows(text, i, end, "!=") => (TokenKind.LooseNotEqual, 2),
        '!' => (TokenKind.Not, 1),
        '=' when Follows(text, i, end, "===") => (TokenKind.StrictEqual, 3),
        '=' when Follows(text, i, end, "==") => (TokenKind.LooseEqual, 2),
        '<' when Follows(text, i, end, "<=") => (TokenKind.LessOrEqual, 2),
        '<' => (TokenKind.Less, 1),
        '>' when Follows(text, i, end, ">=") => (TokenKind.GreaterOrEqual, 2),
        '>' => (TokenKind.Greater, 1),
        '&' when Follows(text, i, end, "&&") => (TokenKind.And, 2),
        '|' when Follows(text, i, end, "||") => (TokenKind.Or, 2),
        _ => (TokenKind.End, 0),
    };

    private static string UnexpectedCharacter(char c) => c switch
    {
        '=' => "'=' is not an operator: compare with '===' (or '==')",
        '&' => "'&' is not an operator: use '&&'",
        '|' => "'|' is not an operator: use '||'",
        '{' or '}' => $"unexpected '{c}': templates use '{{{{ … }}}}' around a whole expression, and the language has no object literals",
        _ => $"unexpected character '{c}'",
    };

    private static bool Follows(string text, int i, int end, string expected) =>
        end - i >= expected.Length && string.CompareOrdinal(text, i, expected, 0, expected.Length) == 0;

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    /// <summary>
    /// A name is a run of letters, digits, '_' and '$', where a '-' between two such characters joins the run:
    /// step ids are hyphenated (spec "Conditional Execution": <c>steps.run-tests.success</c>), so <c>a-b</c> and
    /// <c>count-1</c> are one name, while <c>a - b</c>, <c>a -b</c> and <c>a- b</c> subtract (docs/expressions.md).
    /// </summary>
    private static int ScanName(string text, int i, int end)
    {
        i++;
        while (i < end)
        {
            if (IsNamePart(text[i]))
            {
                i++;
            }
            else if (text[i] == '-' && i + 1 < end && IsNamePart(text[i + 1]))
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static int ScanNumber(string text, int i, int end)
    {
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i + 1 < end && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < end && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < end && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < end && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < end && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < end && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        return i;
    }

    /// <summary>Scans a quoted string starting at <paramref name="i"/>; also used by the template scanner.</summary>
    public static bool TryScanString(string text, int i, int end, [NotNullWhen(true)] out string? value, out int next, [NotNullWhen(false)] out ExpressionError? error)
    {
        var quote = text[i];
        var sb = new StringBuilder();
        var j = i + 1;
        while (j < end)
        {
            var c = text[j];
            if (c == quote)
            {
                value = sb.ToString();
                next = j + 1;
                error = null;
                return true;
            }

            if (c != '\\')
            {
                sb.Append(c);
                j++;
                continue;
            }

            if (j + 1 >= end)
            {
                break;
            }

            var escaped = text[j + 1];
            switch (escaped)
            {
                case '\\' or '\'' or '"' or '/': sb.Append(escaped); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case '0': sb.Append('\0'); break;
                case 'u':
                    if (j + 6 <= end && ushort.TryParse(text.AsSpan(j + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        sb.Append((char)code);
                        j += 6;
                        continue;
                    }

                    goto default;
                default:
                    value = null;
                    next = j;
                    error = new ExpressionError(
                        $"invalid escape '\\{escaped}' in string: use \\\\ \\' \\\" \\n \\r \\t \\b \\f \\0 \\/ or \\uXXXX", j)
                    { Code = ErrorCodes.String };
                    return false;
            }

            j += 2;
        }

        value = null;
        next = end;
        error = new ExpressionError($"unterminated string: add the closing {quote}", i) { Code = ErrorCodes.String };
        return false;
    }
}
