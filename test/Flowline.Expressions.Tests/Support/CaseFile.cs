namespace Flowline.Expressions.Tests.Support;

/// <summary>
/// Loads a case file: one <c>input ⇶ expected</c> per line; blank lines and lines starting with '#' are
/// skipped. Both sides are trimmed, so cases cannot depend on leading or trailing spaces.
/// </summary>
internal static class CaseFile
{
    public const char Separator = '⇶';

    public static TheoryData<string, string> Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Cases", name);
        var data = new TheoryData<string, string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var separator = line.IndexOf(Separator, StringComparison.Ordinal);
            if (separator < 0)
            {
                throw new InvalidOperationException($"{name}:{lineNumber} has no '{Separator}': write 'input {Separator} expected'.");
            }

            data.Add(line[..separator].Trim(), line[(separator + 1)..].Trim());
        }

        return data.Count > 0 ? data : throw new InvalidOperationException($"{name} has no cases.");
    }
}
