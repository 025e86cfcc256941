using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Flowline.Binding;

/// <summary>
/// Named step outputs written to the file named by <c>FLOWLINE_OUTPUT</c> (issue 4), in GitHub Actions'
/// <c>$GITHUB_OUTPUT</c> format: <c>KEY=value</c> lines, and <c>KEY&lt;&lt;DELIM</c> … <c>DELIM</c> blocks for
/// multi-line values. A key written twice keeps the last value.
/// </summary>
internal static class OutputFile
{
    /// <summary>The environment variable that names the file.</summary>
    public const string Variable = "FLOWLINE_OUTPUT";

    public static bool TryParse(string text, [NotNullWhen(true)] out Dictionary<string, string>? outputs, [NotNullWhen(false)] out string? error)
    {
        outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var key = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                if (!ValidKey(key, i, out error) || !ValidDelimiter(delimiter, key, i, out error))
                {
                    outputs = null;
                    return false;
                }

                var start = i + 1;
                var end = start;
                while (end < count && lines[end].TrimEnd('\r') != delimiter)
                {
                    end++;
                }

                if (end >= count)
                {
                    outputs = null;
                    error = string.Create(CultureInfo.InvariantCulture, $"{Variable} line {i + 1}: the block '{key}<<{delimiter}' has no closing line '{delimiter}'; end a multi-line value with a line holding only the delimiter");
                    return false;
                }

                outputs[key] = string.Join('\n', lines[start..end].Select(l => l.TrimEnd('\r')));
                i = end;
                continue;
            }

            if (equals <= 0)
            {
                outputs = null;
                error = string.Create(CultureInfo.InvariantCulture, $"{Variable} line {i + 1} ('{Shorten(line)}') is neither KEY=value nor KEY<<DELIMITER; write one output per line, e.g. echo \"summary=3 passed\" >> \"${Variable}\"");
                return false;
            }

            var name = line[..equals];
            if (!ValidKey(name, i, out error))
            {
                outputs = null;
                return false;
            }

            outputs[name] = line[(equals + 1)..];
        }

        error = null;
        return true;
    }

    private static bool ValidKey(string key, int line, [NotNullWhen(false)] out string? error)
    {
        if (key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            error = null;
            return true;
        }

        error = string.Create(CultureInfo.InvariantCulture, $"{Variable} line {line + 1}: '{Shorten(key)}' is not a valid output name; use letters, digits, '_' and '-'");
        return false;
    }

    private static bool ValidDelimiter(string delimiter, string key, int line, [NotNullWhen(false)] out string? error)
    {
        if (delimiter.Trim().Length > 0)
        {
            error = null;
            return true;
        }

        error = string.Create(CultureInfo.InvariantCulture, $"{Variable} line {line + 1}: '{key}<<' needs a delimiter, e.g. {key}<<EOF");
        return false;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
