using System.Runtime.InteropServices;

namespace Flowline.Caching;

/// <summary>What one <c>statx</c> call tells about a path, symbolic links followed.</summary>
/// <param name="Type">The file type bits of <c>st_mode</c> (<see cref="FileStat.RegularType"/>, <see cref="FileStat.DirectoryType"/>, …).</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="ModifiedTicks">The modification time in UTC ticks, as <see cref="FileSystemInfo.LastWriteTimeUtc"/> gives it.</param>
internal readonly record struct FileFacts(int Type, long Size, long ModifiedTicks);

/// <summary>
/// The one place that asks Linux's <c>statx</c> about a path (its buffer has one layout on every architecture): one
/// system call and no allocation, where <see cref="FileInfo"/> normalises the path, calls <c>lstat</c> and <c>stat</c>,
/// and asks for the effective user for its read-only flag. An up-to-date run reads the size and time of every source
/// file of every cached step (issue 14), and <c>flowline run</c> tells a report path's file type with it.
/// </summary>
internal static partial class FileStat
{
    /// <summary>The type bits of a regular file.</summary>
    public const int RegularType = 0x8000;

    /// <summary>The type bits of a folder.</summary>
    public const int DirectoryType = 0x4000;

    private const int AtCurrentDirectory = -100;
    private const uint WantType = 0x1;
    private const uint WantModified = 0x40;
    private const uint WantSize = 0x200;
    private const int BufferSize = 256;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int ModifiedOffset = 112;
    private const int TypeMask = 0xF000;

    // O_PATH | O_CLOEXEC: the same values on x86-64 and arm64 Linux (asm-generic); the handle only anchors lookups.
    private const int PathOnly = 0x200000;
    private const int CloseOnExec = 0x80000;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Whether this system answers <see cref="TryGet(string, out FileFacts)"/> (Linux); elsewhere callers use <see cref="FileInfo"/>.</summary>
    public static bool Available => OperatingSystem.IsLinux();

    /// <summary>The facts of <paramref name="path"/>; false when nothing is there (or a link to nothing), it cannot be read, or this is not Linux.</summary>
    public static bool TryGet(string path, out FileFacts facts) => TryGet(AtCurrentDirectory, path, out facts);

    /// <summary>
    /// The facts of <paramref name="path"/> relative to <paramref name="folder"/> (or absolute): the kernel walks the
    /// path from the folder, not from the root, so each call costs less than one with a full path.
    /// </summary>
    public static bool TryGet(FolderHandle folder, string path, out FileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            return TryGet((int)folder.DangerousGetHandle(), path, out facts);
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }
        }
    }

    /// <summary>A handle on <paramref name="path"/> (a folder) for <see cref="TryGet(FolderHandle, string, out FileFacts)"/>; null when this is not Linux or it cannot be opened.</summary>
    public static FolderHandle? OpenFolder(string path)
    {
        if (!Available)
        {
            return null;
        }

        var handle = new FolderHandle(Open(path, PathOnly | CloseOnExec));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    private static bool TryGet(int directory, string path, out FileFacts facts)
    {
        facts = default;
        if (!Available)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[BufferSize];
        if (Statx(directory, path, 0, WantType | WantSize | WantModified, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return false;
        }

        var seconds = BitConverter.ToInt64(buffer[ModifiedOffset..]);
        var nanoseconds = BitConverter.ToUInt32(buffer[(ModifiedOffset + 8)..]);
        facts = new FileFacts(
            BitConverter.ToUInt16(buffer[ModeOffset..]) & TypeMask,
            BitConverter.ToInt64(buffer[SizeOffset..]),
            UnixEpochTicks + (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / TimeSpan.NanosecondsPerTick));
        return true;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
