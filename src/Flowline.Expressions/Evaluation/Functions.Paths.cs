namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>
    /// Issue 19: path text: fileName, fileExt, filePath, joinPath. Pure string work with Node's <c>path.posix</c> rules
    /// (the original's), never the file system; '\' counts as a separator too and results use '/', so a workflow gives
    /// the same text on every OS.
    /// </summary>
    private static FunctionDefinition[] Paths() =>
    [
        new("fileName", 1, 1, "fileName(path)", (_, a) => PathText("fileName", a[0], FileName)),
        new("fileExt", 1, 1, "fileExt(path)", (_, a) => PathText("fileExt", a[0], FileExtension)),
        new("filePath", 1, 1, "filePath(path)", (_, a) => PathText("filePath", a[0], Folder)),
        new("joinPath", 1, int.MaxValue, "joinPath(part, part…)", JoinPath),
    ];

    private static object? PathText(string function, object? value, Func<string, string> part) =>
        value is null or Undefined ? value : part(Text(function, value).Replace('\\', '/'));

    private static string FileName(string path)
    {
        var trimmed = path.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary>As Node's extname: from the last dot of the name, but a leading dot ('.bashrc') starts no extension.</summary>
    private static string FileExtension(string path)
    {
        var name = FileName(path);
        var dot = name.LastIndexOf('.');
        return dot <= 0 || name.TrimStart('.').Length == 0 ? "" : name[dot..];
    }

    /// <summary>As Node's dirname: '.' when there is no folder part, '/' for a file at the root.</summary>
    private static string Folder(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length > 0 ? "/" : ".";
        }

        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : trimmed[..slash].TrimEnd('/') is { Length: > 0 } folder ? folder : "/";
    }

    private static object? JoinPath(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a.FirstOrDefault(x => x is Undefined) is { } undefined)
        {
            return undefined;
        }

        if (a.Any(x => x is null))
        {
            return null;
        }

        var joined = string.Join('/', a.Select(x => Text("joinPath", x)).Where(s => s.Length > 0)).Replace('\\', '/');
        return joined.Length == 0 ? "." : NormalizePath(joined);
    }

    /// <summary>As Node's normalize: drops empty and '.' segments and resolves '..' where a folder precedes it.</summary>
    private static string NormalizePath(string path)
    {
        var rooted = path.StartsWith('/');
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[^1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".." || !rooted)
            {
                segments.Add(segment);
            }
        }

        var body = string.Join('/', segments);
        var trailing = path.EndsWith('/') && body.Length > 0 ? "/" : "";
        return rooted ? "/" + body + trailing : body.Length == 0 ? "." : body + trailing;
    }
}
