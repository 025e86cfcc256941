namespace Flowline.Caching;

/// <summary>
/// What decided a glob's matches besides the files matched (<see cref="CacheSources.Expand"/>): the folders listed,
/// whose modification time changes when an entry is added, removed or renamed, and the paths found missing. A run's
/// <see cref="RunManifest"/> is made of these and the matched files.
/// </summary>
internal sealed class CacheWatch
{
    /// <summary>The full path of each folder listed (it may be missing).</summary>
    public HashSet<string> Folders { get; } = new(StringComparer.Ordinal);

    /// <summary>The full path of each plain source path found missing.</summary>
    public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a glob was matched by a walk that does not say which folders it listed (a <c>.</c> or <c>..</c> segment).</summary>
    public bool Incomplete { get; set; }
}
