using System.IO.Enumeration;

namespace Flowline.Caching;

/// <summary>
/// The files under a folder that a <c>cache.sources</c> pattern matches (the part after the glob's literal folders,
/// docs/caching.md): <c>*</c> within a name, <c>**</c> across folders, ordinal names, as
/// Microsoft.Extensions.FileSystemGlobbing matches them, found lazily from directory listings alone.
/// </summary>
/// <remarks>
/// Why not the globbing library here (issue 14, the up-to-date bench): its walk makes a <see cref="FileInfo"/>, and so
/// an lstat, of every entry it lists, and lists everything before the first match. A 1,000-step up-to-date run
/// expands every glob twice (validation, then each step's key), so that walk was a third of the run's time. Names and
/// d_type from getdents are all matching needs; only a symbolic link is looked at (its target may be a folder, which
/// is walked, as the library does). A pattern with a <c>.</c>, <c>..</c> or empty segment is left to the library.
/// </remarks>
internal static class GlobWalk
{
    private static readonly EnumerationOptions Listing = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Whether this walk can match <paramref name="pattern"/> (else the caller uses the library).</summary>
    public static bool Handles(string pattern)
    {
        foreach (var range in pattern.AsSpan().Split('/'))
        {
            var segment = pattern.AsSpan()[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each file under <paramref name="root"/> that <paramref name="pattern"/> matches, in no particular order: its path relative to the root ('/'-separated) and its full path.</summary>
    /// <param name="root">The folder the pattern starts at.</param>
    /// <param name="pattern">The pattern, '/'-separated.</param>
    /// <param name="watch">Receives each folder the walk lists, with the hash of its names, or missing; null when no one asks.</param>
    public static IEnumerable<(string Relative, string Full)> Files(string root, string pattern, CacheWatch? watch = null)
    {
        var segments = pattern.Split('/');
        if (segments[^1] == "**")
        {
            // "dir/**" matches every file under dir, as the library reads it.
            segments = [.. segments, "*"];
        }

        return Walk(root, string.Empty, segments, 0, watch);
    }

    private static IEnumerable<(string Relative, string Full)> Walk(string folder, string relative, string[] segments, int index, CacheWatch? watch)
    {
        var segment = segments[index];
        var last = index == segments.Length - 1;
        if (segment == "**")
        {
            // Zero folders, then one more folder and "**" again.
            foreach (var file in Walk(folder, relative, segments, index + 1, watch))
            {
                yield return file;
            }

            foreach (var (name, isDirectory) in List(folder, watch))
            {
                if (isDirectory)
                {
                    foreach (var file in Walk(Path.Join(folder, name), Under(relative, name), segments, index, watch))
                    {
                        yield return file;
                    }
                }
            }

            yield break;
        }

        foreach (var (name, isDirectory) in List(folder, watch))
        {
            if (!Matches(segment, name))
            {
                continue;
            }

            if (last)
            {
                if (!isDirectory)
                {
                    yield return (Under(relative, name), Path.Join(folder, name));
                }
            }
            else if (isDirectory)
            {
                foreach (var file in Walk(Path.Join(folder, name), Under(relative, name), segments, index + 1, watch))
                {
                    yield return file;
                }
            }
        }
    }

    private static string Under(string relative, string name) => relative.Length == 0 ? name : relative + "/" + name;

    /// <summary>
    /// The entries of <paramref name="folder"/>; none when it is missing or not a folder (the enumerable opens it when
    /// made). With a <paramref name="watch"/> the whole listing is read at once and its names' hash recorded.
    /// </summary>
    private static IEnumerable<(string Name, bool IsDirectory)> List(string folder, CacheWatch? watch)
    {
        IEnumerable<(string Name, bool IsDirectory)> entries;
        try
        {
            entries = Open(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            watch?.Missing.Add(folder);
            return [];
        }

        if (watch is null)
        {
            return entries;
        }

        var listed = entries.ToList();
        watch.Folders[folder] = HashOf(listed);
        return listed;
    }

    /// <summary>
    /// A hash of the names in <paramref name="folder"/> and whether each is a folder, as the walk lists them, in any
    /// order; null when it cannot be listed. Equal hashes mean no entry was added, removed or renamed, whatever the
    /// folder's time says (a lock file made and removed moves it: git's index.lock).
    /// </summary>
    internal static ulong? NamesHash(string folder)
    {
        try
        {
            return HashOf(Open(folder));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The listing of a folder, read lazily; the folder is opened here (a missing one throws).
    private static FileSystemEnumerable<(string Name, bool IsDirectory)> Open(string folder) =>
        new(folder, static (ref FileSystemEntry entry) => (entry.FileName.ToString(), entry.IsDirectory), Listing);

    // Each entry's hash added, so the listing's order does not matter; whether it is a folder is part of each entry's hash.
    private static ulong HashOf(IEnumerable<(string Name, bool IsDirectory)> entries)
    {
        ulong combined = 0;
        foreach (var (name, isDirectory) in entries)
        {
            combined += System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(isDirectory ? name + "/" : name));
        }

        return combined;
    }

    /// <summary>Whether <paramref name="name"/> matches one segment, <c>*</c> standing for any run of characters.</summary>
    /// <remarks>Spans only: it runs for every name in every listed folder of every cached step (issue 14).</remarks>
    internal static bool Matches(string segment, string name)
    {
        var star = segment.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(segment, name, StringComparison.Ordinal);
        }

        var head = segment.AsSpan(0, star);
        var lastStar = segment.LastIndexOf('*');
        var tail = segment.AsSpan(lastStar + 1);
        if (name.Length < head.Length + tail.Length
            || !name.AsSpan().StartsWith(head, StringComparison.Ordinal)
            || !name.AsSpan().EndsWith(tail, StringComparison.Ordinal))
        {
            return false;
        }

        // The parts between the first and the last star, in order, each at its leftmost place.
        var rest = name.AsSpan(head.Length, name.Length - head.Length - tail.Length);
        var middle = segment.AsSpan(star + 1, lastStar - star - (lastStar > star ? 1 : 0));
        while (middle.Length > 0)
        {
            var next = middle.IndexOf('*');
            var part = next < 0 ? middle : middle[..next];
            middle = next < 0 ? [] : middle[(next + 1)..];
            if (part.Length == 0)
            {
                continue;
            }

            var found = rest.IndexOf(part, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            rest = rest[(found + part.Length)..];
        }

        return true;
    }
}
