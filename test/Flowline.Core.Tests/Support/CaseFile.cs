namespace Flowline.Core.Tests.Support;

/// <summary>Table-driven cases (STYLE rule 14): one <c>input ⇶ expected</c> per line; <c>#</c> starts a comment line.</summary>
internal static class CaseFile
{
    private const string Arrow = "⇶";

    public static TheoryData<string, string> Read(params string[] relativePath)
    {
        var path = Path.Combine([Repository.Root, "test", "Flowline.Core.Tests", .. relativePath]);
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var arrow = line.IndexOf(Arrow, StringComparison.Ordinal);
            if (arrow < 0)
            {
                throw new InvalidDataException($"{path}: '{line}' has no {Arrow}.");
            }

            data.Add(line[..arrow].Trim(), line[(arrow + Arrow.Length)..].Trim());
        }

        return data;
    }
}
