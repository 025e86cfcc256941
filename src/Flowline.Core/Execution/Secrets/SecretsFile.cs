using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Flowline;

/// <summary>
/// Secret values from a dotenv file (<c>flowline run --secrets-file</c>, issue 13, docs/secrets.md): one
/// <c>KEY=value</c> per line, an optional <c>export </c> before the key, <c>#</c> comments and blank lines. A value in
/// double quotes may hold <c>\n</c>, <c>\t</c>, <c>\"</c> and <c>\\</c> escapes and span lines; one in single quotes is
/// taken as written; an unquoted one is trimmed and ends at a <c> #</c> comment. A later line wins over an earlier one.
/// </summary>
/// <remarks>A diagnostic names the file and the line, never the line's text, which may hold a secret.</remarks>
public static class SecretsFile
{
    private const string Export = "export ";

    /// <summary>Reads a secrets file. Never throws for bad input.</summary>
    /// <param name="path">The file; diagnostics name it as given.</param>
    /// <param name="secrets">The values by name, for <see cref="ExecutionOptions.Secrets"/>, on success.</param>
    /// <param name="diagnostics">
    /// Every bad line (FL1020) with its line number, or the reason the file cannot be read (FL1000); on success, a
    /// warning (FL1021) when others than the owner may read or write the file.
    /// </param>
    /// <returns>Whether the file was read without errors.</returns>
    public static bool TryLoad(string path, [NotNullWhen(true)] out IReadOnlyDictionary<string, string>? secrets, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(path);
        secrets = null;
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            var reason = exception switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist; check the path",
                DecoderFallbackException => "it is not UTF-8 text; save it as UTF-8",
                _ => exception.Message,
            };
            diagnostics = [new Diagnostic(DiagnosticCodes.FileUnreadable, DiagnosticSeverity.Error, $"Cannot read secrets file '{path}': {reason}.", new SourceLocation(path, 1, 1))];
            return false;
        }

        var found = new List<Diagnostic>();
        diagnostics = found;
        var values = Parse(text, path, found);
        if (found.Count > 0)
        {
            return false;
        }

        if (NotPrivate(path) is { } mode)
        {
            found.Add(new Diagnostic(DiagnosticCodes.SecretsFileNotPrivate, DiagnosticSeverity.Warning,
                $"The secrets file '{path}' can be read or written by other users (mode {mode}); make it private: chmod 600 '{path}'.",
                new SourceLocation(path, 1, 1)));
        }

        secrets = values;
        return true;
    }

    private static Dictionary<string, string> Parse(string text, string path, List<Diagnostic> found)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            var content = line.TrimStart();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            if (content.StartsWith(Export, StringComparison.Ordinal))
            {
                content = content[Export.Length..].TrimStart();
            }

            var equals = content.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? content.Trim() : content[..equals].Trim();
            if (equals < 0 || !IsName(name))
            {
                var problem = equals < 0 ? "has no '='" : name.Length == 0 ? "has no name before '='" : "has a name that is not an environment variable name (letters, digits and '_', not starting with a digit)";
                found.Add(Bad(path, number, $"Line {number} of secrets file '{path}' {problem}; write NAME=value, such as NPM_TOKEN=abc123, or start a comment with '#'."));
                continue;
            }

            var start = number;
            var rest = content[(equals + 1)..].TrimStart();
            string? value;
            if (rest.Length > 0 && rest[0] is '"' or '\'')
            {
                var quote = rest[0];
                var quoted = new StringBuilder();
                rest = rest[1..];
                int close;
                while ((close = ClosingQuote(rest, quote)) < 0)
                {
                    // A quoted value may span lines (a PEM key); it goes on until its quote closes.
                    quoted.Append(rest).Append('\n');
                    if (++i >= lines.Length)
                    {
                        break;
                    }

                    rest = lines[i].TrimEnd('\r');
                }

                if (close < 0)
                {
                    found.Add(Bad(path, start, $"Line {start} of secrets file '{path}' opens a {(quote == '"' ? "double" : "single")} quote for '{name}' that is never closed; close it with {quote}."));
                    break;
                }

                quoted.Append(rest[..close]);
                var after = rest[(close + 1)..].Trim();
                if (after.Length > 0 && after[0] != '#')
                {
                    found.Add(Bad(path, i + 1, $"Line {i + 1} of secrets file '{path}' has text after the closing quote of '{name}'; remove it or start a comment with '#'."));
                    continue;
                }

                value = quote == '"' ? Unescape(quoted.ToString()) : quoted.ToString();
            }
            else
            {
                var comment = rest.IndexOf(" #", StringComparison.Ordinal);
                value = (comment < 0 ? rest : rest[..comment]).Trim();
            }

            values[name] = value;
        }

        return values;
    }

    private static int ClosingQuote(string text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                builder.Append(text[i]);
                continue;
            }

            var next = text[++i];
            builder.Append(next switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => next,
            });
        }

        return builder.ToString();
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The file's mode in octal when group or others have any access to it; null on Windows or when private.</summary>
    private static string? NotPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            return (mode & others) == 0 ? null : Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Diagnostic Bad(string path, int line, string message) =>
        new(DiagnosticCodes.InvalidSecretsFileLine, DiagnosticSeverity.Error, message, new SourceLocation(path, line, 1));
}
