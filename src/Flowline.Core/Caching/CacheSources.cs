using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Flowline.Caching;

/// <summary>
/// Expands a step's <c>cache.sources</c> globs (issue 14) with Microsoft.Extensions.FileSystemGlobbing: <c>*</c> within
/// a name, <c>**</c> across folders, relative to the workflow's folder (or absolute).
/// </summary>
internal static class CacheSources
{
    /// <summary>Characters other glob dialects treat as wildcards that this one takes literally (docs/caching.md).</summary>
    public static readonly char[] Unsupported = ['?', '[', '{'];

    /// <summary>Adds every file <paramref name="glob"/> matches to <paramref name="files"/> (relative path → full path); false when it matches none.</summary>
    /// <remarks>
    /// The glob's leading folders without a wildcard are the matcher's root, so <c>src/app/**/*.cs</c> walks
    /// <c>src/app</c> only, not every folder beside it: a thousand steps each globbing their own folder stay cheap.
    /// A path without a wildcard matches that file, or every file under that folder.
    /// </remarks>
    /// <param name="folder">The workflow's folder, a full path.</param>
    /// <param name="glob">The glob, relative to <paramref name="folder"/> or absolute.</param>
    /// <param name="files">Receives each match.</param>
    /// <param name="handle">An open handle on <paramref name="folder"/> that plain paths are looked up from, or null.</param>
    /// <param name="watch">Receives what else decided the matches (folders listed, paths found missing), or null.</param>
    public static bool Expand(string folder, string glob, SortedDictionary<string, string> files, FolderHandle? handle = null, CacheWatch? watch = null)
    {
        var any = false;
        foreach (var (relative, full) in Matches(folder, glob, handle, watch))
        {
            files[relative] = full;
            any = true;
        }

        return any;
    }

    /// <summary>Whether <paramref name="glob"/> matches at least one file; stops at the first (validation's FL1163 check).</summary>
    public static bool MatchesAny(string folder, string glob) => Matches(folder, glob).Any();

    /// <summary>Each file <paramref name="glob"/> matches: its path relative to <paramref name="folder"/> ('/'-separated) and its full path, found lazily.</summary>
    private static IEnumerable<(string Relative, string Full)> Matches(string folder, string glob, FolderHandle? handle = null, CacheWatch? watch = null)
    {
        var (root, pattern) = Split(glob);
        // A plain relative root under an absolute folder needs no normalising, and each match's relative path is the
        // root and the walk's own relative path: no Path.GetFullPath or GetRelativePath per file (the up-to-date bench).
        var plain = Path.IsPathFullyQualified(folder) && IsPlain(root);
        var rootPath = plain ? (root.Length == 0 ? folder : Path.Join(folder, root)) : Path.GetFullPath(Path.Combine(folder, root));
        if (pattern is null)
        {
            // One lookup tells a file (the match) from a folder (every file under it) from nothing.
            var kind = KindOf(rootPath, plain ? root : null, handle);
            if (kind == PathKind.Missing)
            {
                watch?.Missing.Add(rootPath);
                return [];
            }

            if (kind == PathKind.File)
            {
                return [(plain ? root : Relative(folder, rootPath), rootPath)];
            }

            pattern = "**/*";
        }

        if (GlobWalk.Handles(pattern))
        {
            // The walk lists the root itself and finds nothing where there is no folder.
            var files = GlobWalk.Files(rootPath, pattern, watch);
            return plain
                ? files.Select(file => (root.Length == 0 ? file.Relative : root + "/" + file.Relative, file.Full))
                : files.Select(file => (Relative(folder, file.Full), file.Full));
        }

        if (watch is not null)
        {
            // The library's walk does not say which folders it listed.
            watch.Incomplete = true;
        }

        if (KindOf(rootPath, null, null) != PathKind.Folder)
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        return matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(rootPath))).Files
            .Select(file => Path.Combine(rootPath, file.Path))
            .Select(full => (Relative(folder, full), full));
    }

    /// <summary>What is at <paramref name="path"/>, looked up as <paramref name="relative"/> from <paramref name="handle"/> when both are given.</summary>
    private static PathKind KindOf(string path, string? relative, FolderHandle? handle)
    {
        var found = handle is not null && relative is not null ? FileStat.TryGet(handle, relative, out var facts) : FileStat.TryGet(path, out facts);
        if (found)
        {
            return facts.Type == FileStat.DirectoryType ? PathKind.Folder : PathKind.File;
        }

        // Not Linux, or nothing there (then both say no).
        return Directory.Exists(path) ? PathKind.Folder : File.Exists(path) ? PathKind.File : PathKind.Missing;
    }

    /// <summary>Whether <paramref name="root"/> is empty or relative folders without <c>.</c>, <c>..</c> or empty segments.</summary>
    private static bool IsPlain(string root)
    {
        if (root.Length == 0)
        {
            return true;
        }

        if (root[0] == '/' || root[^1] == '/' || Path.IsPathRooted(root))
        {
            return false;
        }

        foreach (var segment in root.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="glob"/> matches a <c>cache.outputs</c> path of one of <paramref name="steps"/>: a file an earlier step makes need not exist before the run.</summary>
    public static bool MatchesAnOutput(string glob, IReadOnlyList<WorkflowStep> steps)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(glob.Replace('\\', '/'));
        foreach (var step in steps)
        {
            foreach (var output in step.Cache?.Outputs ?? [])
            {
                var path = output.Replace('\\', '/');
                if (matcher.Match(path).HasMatches || glob.Replace('\\', '/').StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The folders before the first segment with a wildcard, and the rest (null when there is no wildcard).</summary>
    private static (string Root, string? Pattern) Split(string glob)
    {
        var path = glob.Replace('\\', '/');
        var star = path.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return (glob, null);
        }

        var slash = path.LastIndexOf('/', star);
        if (slash < 0)
        {
            return (string.Empty, path);
        }

        return (slash == 0 ? "/" : path[..slash], path[(slash + 1)..]);
    }

    private static string Relative(string folder, string full) => Path.GetRelativePath(folder, full).Replace('\\', '/');

    private enum PathKind
    {
        Missing,
        File,
        Folder,
    }
}
