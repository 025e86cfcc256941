namespace Flowline.Caching;

/// <summary>
/// What a run's up-to-date checks looked at (issue 14), gathered as they look, for the run's <see cref="RunManifest"/>:
/// each source file's facts as they were hashed, each folder a glob listed with the hash of its names as listed
/// (<see cref="GlobWalk.NamesHash"/>), and each path found missing. Filled on the scheduler's thread only.
/// </summary>
internal sealed class CacheWatch
{
    /// <summary>Each source file by full path: its facts when the check used them.</summary>
    public Dictionary<string, FileFacts> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Each folder a glob listed, by full path: the hash of its names as listed.</summary>
    public Dictionary<string, ulong> Folders { get; } = new(StringComparer.Ordinal);

    /// <summary>The full path of each plain source path, glob root or folder found missing.</summary>
    public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether something was looked at in a way the manifest cannot repeat: a glob matched by a walk that does not say
    /// which folders it listed (a <c>.</c> or <c>..</c> segment), or a source that is not a regular file.
    /// </summary>
    public bool Incomplete { get; set; }

    /// <summary>Whether a glob matched nothing (its warning is printed on every full run).</summary>
    public bool Unmatched { get; set; }
}
