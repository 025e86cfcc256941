using Flowline.Caching;

namespace Flowline.Cli.Commands;

/// <summary>What a path names once symbolic links are followed; .NET tells a FIFO or a device from a file by nothing.</summary>
internal enum FileKind
{
    /// <summary>Nothing there (or a link to nothing).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A FIFO, a device, a socket: written by opening it, never replaced.</summary>
    Special,

    /// <summary>Something exists but this system cannot say what (not Linux).</summary>
    Unknown,
}

/// <summary>The <see cref="FileKind"/> of a path, through <see cref="FileStat"/> on Linux.</summary>
internal static class FileKinds
{
    public static FileKind Of(string path)
    {
        if (!FileStat.TryGet(path, out var facts))
        {
            // Not Linux, or a kernel without statx (before 4.11): existence is all .NET can tell.
            return System.IO.Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Unknown : FileKind.Missing;
        }

        return facts.Type switch
        {
            FileStat.RegularType => FileKind.Regular,
            FileStat.DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
    }
}
