namespace Flowline.State;

/// <summary>
/// A file's content hash as the run store keeps it (issue 14): valid while the file keeps the same size and
/// modification time, so an up-to-date check reads only the files that changed, as ninja and Bazel do.
/// </summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Size">Its length in bytes when hashed.</param>
/// <param name="ModifiedTicks">Its last write time when hashed, in UTC ticks.</param>
/// <param name="Hash">Its content hash (XxHash128), as 32 hex digits.</param>
public sealed record FileHash(string Path, long Size, long ModifiedTicks, string Hash);
