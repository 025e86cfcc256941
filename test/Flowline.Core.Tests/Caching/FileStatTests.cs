using Flowline.Caching;
using Flowline.Core.Tests.State;

namespace Flowline.Core.Tests.Caching;

/// <summary>
/// One statx per source file (issue 14): what it reads must be what <see cref="FileInfo"/> reads, or hashes kept by
/// earlier runs would never match again; looked up from a folder handle it must find the same file.
/// </summary>
public sealed class FileStatTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_file_reads_as_FileInfo_reads_it_by_full_path_and_from_its_folder()
    {
        var path = _folder.Combine("src", "a.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "twelve bytes");
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567));
        var info = new FileInfo(path);

        var found = FileStat.TryGet(path, out var facts);
        using var folder = FileStat.OpenFolder(_folder.Path);

        Assert.Equal(OperatingSystem.IsLinux(), found);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(folder);
            return;
        }

        Assert.Equal(FileStat.RegularType, facts.Type);
        Assert.Equal(info.Length, facts.Size);
        Assert.Equal(info.LastWriteTimeUtc.Ticks, facts.ModifiedTicks);
        Assert.NotNull(folder);
        Assert.True(FileStat.TryGet(folder, "src/a.txt", out var relative));
        Assert.Equal(facts, relative);
        Assert.True(FileStat.TryGet(folder, path, out var absolute));
        Assert.Equal(facts, absolute);
    }

    [Fact]
    public void A_folder_a_missing_path_and_a_dangling_link_are_told_apart()
    {
        Directory.CreateDirectory(_folder.Combine("dir"));
        File.CreateSymbolicLink(_folder.Combine("dangling"), _folder.Combine("nothing"));

        var isFolder = FileStat.TryGet(_folder.Combine("dir"), out var folderFacts);

        Assert.Equal(OperatingSystem.IsLinux(), isFolder);
        Assert.False(FileStat.TryGet(_folder.Combine("missing"), out _));
        Assert.False(FileStat.TryGet(_folder.Combine("dangling"), out _));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(FileStat.DirectoryType, folderFacts.Type);
        }
    }

    [Fact]
    public void A_folder_that_cannot_be_opened_gives_no_handle()
    {
        Assert.Null(FileStat.OpenFolder(_folder.Combine("missing")));
    }

    [Fact]
    public void A_handle_is_closed_once_disposed()
    {
        var folder = FileStat.OpenFolder(_folder.Path);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(folder);
            return;
        }

        Assert.NotNull(folder);
        folder.Dispose();

        Assert.True(folder.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => FileStat.TryGet(folder, "x", out _));
    }
}
