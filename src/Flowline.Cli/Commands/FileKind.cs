using System.Runtime.InteropServices;

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

/// <summary>The <see cref="FileKind"/> of a path, through Linux's <c>statx</c> (its buffer has one layout on every architecture).</summary>
internal static partial class FileKinds
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;

    public static FileKind Of(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (!OperatingSystem.IsLinux() || Statx(AtCurrentDirectory, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            // Also a kernel without statx (before 4.11): existence is all .NET can tell.
            return System.IO.Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Unknown : FileKind.Missing;
        }

        return (BitConverter.ToUInt16(buffer[ModeOffset..]) & TypeMask) switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
