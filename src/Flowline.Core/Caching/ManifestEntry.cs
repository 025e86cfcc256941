namespace Flowline.Caching;

/// <summary>
/// One path a <see cref="RunManifest"/> looks at: relative to the workflow's folder ('/'-separated) or absolute. A
/// file's size, or a folder's <see cref="GlobWalk.NamesHash"/>, is in <see cref="Size"/>.
/// </summary>
internal readonly record struct ManifestEntry(ManifestEntryKind Kind, string Path, long Size, long ModifiedTicks);
