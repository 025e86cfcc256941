namespace Flowline.Agents.Tools;

/// <summary>
/// Resolves a path an agent asked for inside one root folder, refusing absolute paths, <c>..</c> escapes and
/// symbolic links that lead outside (issue 5: read-only tools confined to the working directory). Both the
/// root and the path are resolved to their real paths, link by link, before they are compared.
/// </summary>
internal sealed class ConfinedPath
{
    private const int MaxLinkDepth = 32;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private readonly string _rootName;

    /// <param name="root">The folder.</param>
    /// <param name="rootName">How errors name the root: "the working directory" for agents, "the root" for <c>flowline mcp</c>.</param>
    public ConfinedPath(string root, string rootName = "the working directory")
    {
        _rootName = rootName;
        Root = RealPath(Path.GetFullPath(root), 0) ?? Path.GetFullPath(root);
    }

    /// <summary>The root's real path.</summary>
    public string Root { get; }

    /// <summary>Resolves <paramref name="path"/> (relative to the root) to a real path inside the root.</summary>
    public bool TryResolve(string? path, out string resolved, out string error)
    {
        resolved = "";
        path = string.IsNullOrWhiteSpace(path) ? "." : path.Trim();
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = "the path contains a NUL character";
            return false;
        }

        if (Path.IsPathRooted(path) || path.StartsWith('~'))
        {
            error = $"'{path}' is an absolute path; give a path relative to {_rootName}, such as 'src/main.cs'";
            return false;
        }

        var full = Path.GetFullPath(Path.Combine(Root, path));
        if (!IsInside(full))
        {
            error = $"'{path}' is outside {_rootName}; only files under it can be read";
            return false;
        }

        var real = RealPath(full, 0);
        if (real is null || !IsInside(real))
        {
            error = $"'{path}' leads outside {_rootName} through a symbolic link; only files under it can be read";
            return false;
        }

        resolved = real;
        error = "";
        return true;
    }

    /// <summary>The path relative to the root, with '/' separators, for showing to the model.</summary>
    public string Relative(string full)
    {
        var relative = Path.GetRelativePath(Root, full);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private bool IsInside(string full)
    {
        var root = Path.TrimEndingDirectorySeparator(Root);
        return string.Equals(Path.TrimEndingDirectorySeparator(full), root, PathComparison)
            || full.StartsWith(root + Path.DirectorySeparatorChar, PathComparison);
    }

    /// <summary>
    /// The path with every symbolic link along it replaced by its target, like realpath(3); a part that does not
    /// exist is kept as written. Null when links nest deeper than <see cref="MaxLinkDepth"/> (a loop).
    /// </summary>
    private static string? RealPath(string full, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            return null;
        }

        var root = Path.GetPathRoot(full) ?? "";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            if (target is not null)
            {
                var resolved = Path.GetFullPath(target, current);
                return RealPath(Path.Combine([resolved, .. parts[(i + 1)..]]), depth + 1);
            }

            current = next;
        }

        return current;
    }
}
