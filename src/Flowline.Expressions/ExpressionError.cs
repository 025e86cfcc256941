using System.Globalization;
using System.Text;

namespace Flowline.Expressions;

/// <summary>
/// A mistake in an expression or template, found while parsing: what is wrong and where.
/// </summary>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
/// <param name="Position">The 0-based character offset in the parsed text where the problem starts.</param>
public sealed record ExpressionError(string Message, int Position)
{
    /// <summary>How many characters <see cref="Format"/> shows on each side of the position.</summary>
    private const int Context = 80;

    /// <summary>
    /// A stable diagnostic code in the FL3xxx range (see docs/expressions.md), so tools can key on it.
    /// </summary>
    public string Code { get; init; } = ErrorCodes.Syntax;

    /// <summary>
    /// Formats the line of <paramref name="text"/> that contains <see cref="Position"/>, followed by a line
    /// with a caret under the offending column, for display in a terminal. A line longer than 80 characters on either
    /// side of the position is cut to those 80, with the number of characters left out in brackets.
    /// </summary>
    /// <param name="text">The expression or template text that was parsed.</param>
    /// <returns>Two lines: the source line and the caret line.</returns>
    public string Format(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = Math.Clamp(Position, 0, text.Length);

        // A template spans lines; show only the line with the error so the caret stays under its column.
        var lineStart = position == 0 ? 0 : text.LastIndexOf('\n', position - 1) + 1;
        var lineEnd = text.IndexOf('\n', position);
        if (lineEnd < 0)
        {
            lineEnd = text.Length;
        }

        var line = text[lineStart..lineEnd].TrimEnd('\r');
        lineEnd = lineStart + line.Length;

        // A long line (a generated condition of hundreds of kilobytes) would be repeated whole in every message: keep a
        // window around the position and say how much was left out on each side (issue 18).
        var from = Math.Max(lineStart, position - Context);
        var to = Math.Min(lineEnd, Math.Max(position, from) + Context);
        var before = from > lineStart ? string.Create(CultureInfo.InvariantCulture, $"[{from - lineStart} characters before] ") : string.Empty;
        var after = to < lineEnd ? string.Create(CultureInfo.InvariantCulture, $" [{lineEnd - to} characters after]") : string.Empty;
        var caret = new StringBuilder(before.Length + (position - from) + 1);
        caret.Append(' ', before.Length);
        for (var i = from; i < position; i++)
        {
            // Keep tabs so the caret lines up however wide the terminal draws them.
            caret.Append(text[i] == '\t' ? '\t' : ' ');
        }

        caret.Append('^');
        line = before + text[from..to] + after;
        return line + "\n" + caret;
    }
}
