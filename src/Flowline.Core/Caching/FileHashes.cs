using System.IO.Hashing;
using Flowline.State;

namespace Flowline.Caching;

/// <summary>
/// Content hashes of source files for one run (issue 14): a file whose size and modification time match the kept hash
/// is not read again, as ninja and Bazel do; the hashes computed here are handed back to the store after the run.
/// Used on the scheduler's thread only.
/// </summary>
internal sealed class FileHashes(IReadOnlyDictionary<string, FileHash> kept, FolderHandle? folder, TimeProvider time, CacheWatch? watch = null)
{
    // A file written within this much of its hashing may change again without its time changing (git's "racily clean"
    // files): its hash serves this run but is not kept for the next.
    internal static readonly long RacyTicks = TimeSpan.FromSeconds(2).Ticks;

    private readonly Dictionary<string, FileHash> _seen = new(StringComparer.Ordinal);
    private readonly List<FileHash> _fresh = [];

    /// <summary>The hashes computed in this run that later runs may trust.</summary>
    public IReadOnlyList<FileHash> Fresh => _fresh;

    /// <summary>The content hash of the file at <paramref name="path"/>, or a text that matches no hash when it cannot be read.</summary>
    /// <param name="path">The file's full path (the key of the kept hashes).</param>
    /// <param name="relative">The same file relative to the folder this was made with ('/'-separated), looked up from its handle (owned by the caller).</param>
    public string HashOf(string path, string relative)
    {
        long size;
        long modified;
        if ((folder is not null ? FileStat.TryGet(folder, relative, out var facts) : FileStat.TryGet(path, out facts)) && facts.Type == FileStat.RegularType)
        {
            size = facts.Size;
            modified = facts.ModifiedTicks;
            if (watch is not null)
            {
                watch.Files[path] = facts;
            }
        }
        else
        {
            // Not Linux, or not a regular file: FileInfo says what is wrong. The whole-run manifest would not know
            // this file, so there is none.
            watch?.Incomplete = true;
            try
            {
                var info = new FileInfo(path);
                size = info.Length;
                modified = info.LastWriteTimeUtc.Ticks;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return "unreadable: " + exception.Message;
            }
        }

        if ((_seen.TryGetValue(path, out var known) || kept.TryGetValue(path, out known)) && known.Size == size && known.ModifiedTicks == modified)
        {
            return known.Hash;
        }

        string hash;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var hasher = new XxHash128();
            hasher.Append(stream);
            hash = CacheHash.Hex(hasher.GetCurrentHashAsUInt128());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "unreadable: " + exception.Message;
        }

        var entry = new FileHash(path, size, modified, hash);
        _seen[path] = entry;
        if (time.GetUtcNow().UtcTicks - modified > RacyTicks)
        {
            _fresh.Add(entry);
        }

        return hash;
    }
}
