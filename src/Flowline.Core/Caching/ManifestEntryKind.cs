namespace Flowline.Caching;

/// <summary>What a <see cref="RunManifest"/> entry expects of its path.</summary>
internal enum ManifestEntryKind : byte
{
    /// <summary>A source file: the same size and modification time.</summary>
    File = 1,

    /// <summary>
    /// A folder a glob listed: the same modification time (it changes when an entry is added, removed or renamed), or
    /// else the same names (<see cref="GlobWalk.NamesHash"/>, kept in <see cref="ManifestEntry.Size"/>).
    /// </summary>
    Folder = 2,

    /// <summary>A source path or glob folder that was missing: still missing.</summary>
    Missing = 3,

    /// <summary>A declared output: present.</summary>
    Present = 4,
}
