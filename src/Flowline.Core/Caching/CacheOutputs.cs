namespace Flowline.Caching;

/// <summary>Whether a step's declared <c>cache.outputs</c> path is there (issue 14): a file, a folder or anything else.</summary>
internal static class CacheOutputs
{
    /// <summary>Whether <paramref name="declared"/> (relative to <paramref name="folder"/>, or absolute) exists.</summary>
    /// <param name="handle">An open handle on <paramref name="folder"/> it is looked up from, or null.</param>
    /// <param name="folder">The workflow's folder, a full path.</param>
    /// <param name="declared">The path as the step declares it.</param>
    public static bool Exist(FolderHandle? handle, string folder, string declared)
    {
        var path = Path.Combine(folder, declared);
        var found = handle is not null ? FileStat.TryGet(handle, declared, out _) : FileStat.TryGet(path, out _);

        // Not Linux, or a link to nothing (which File.Exists still counts).
        return found || File.Exists(path) || Directory.Exists(path);
    }
}
