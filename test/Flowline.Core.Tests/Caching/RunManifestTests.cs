using Flowline.Caching;

namespace Flowline.Core.Tests.Caching;

/// <summary>The whole-run manifest (issue 14, docs/caching.md "Whole-run check"): its stored form and its check against the files.</summary>
public sealed class RunManifestTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flowline-manifest-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_manifest_reads_back_as_written_and_anything_else_reads_as_none()
    {
        var manifest = new RunManifest
        {
            CallKey = "c0ffee",
            EnvironmentNames = ["TOKEN", "ÜBER"],
            ContentHash = "ab12",
            Folder = "/w",
            StepIds = ["build", "test [os=linux]"],
            Entries =
            [
                new(ManifestEntryKind.File, "src/app.cs", 13, 638_000_000_000_000_000),
                new(ManifestEntryKind.Folder, "src", 0, 638_000_000_000_000_001),
                new(ManifestEntryKind.Missing, "/abs/gone", 0, 0),
                new(ManifestEntryKind.Present, "bin/app", 0, 0),
            ],
        };

        var bytes = manifest.ToBytes();
        var read = RunManifest.FromBytes(bytes);

        Assert.NotNull(read);
        Assert.Equal((manifest.CallKey, manifest.ContentHash, manifest.Folder), (read.CallKey, read.ContentHash, read.Folder));
        Assert.Equal(manifest.EnvironmentNames, read.EnvironmentNames);
        Assert.Equal(manifest.StepIds, read.StepIds);
        Assert.Equal(manifest.Entries, read.Entries);
        Assert.Null(RunManifest.FromBytes(bytes[..^3]));
        Assert.Null(RunManifest.FromBytes([]));
        Assert.Null(RunManifest.FromBytes([.. bytes.Select((b, i) => i == 0 ? (byte)9 : b)]));
    }

    [Fact]
    public void The_check_holds_while_nothing_changed_and_fails_on_each_kind_of_change()
    {
        var workflow = Write("flow.yaml", "name: w\n");
        var source = Write("src/a.txt", "one");
        var output = Write("out/app", "bin");
        var old = DateTime.UtcNow.AddMinutes(-5);
        File.SetLastWriteTimeUtc(source, old);
        Directory.SetLastWriteTimeUtc(Path.Combine(_folder.FullName, "src"), old);
        var manifest = new RunManifest
        {
            CallKey = "k",
            EnvironmentNames = [],
            ContentHash = TextHash.Hex("name: w\n"),
            Folder = _folder.FullName,
            StepIds = ["build"],
            Entries =
            [
                new(ManifestEntryKind.File, "src/a.txt", 3, old.Ticks),
                new(ManifestEntryKind.Folder, "src", unchecked((long)GlobWalk.NamesHash(Path.Combine(_folder.FullName, "src"))!.Value), old.Ticks),
                new(ManifestEntryKind.Missing, "src/b.txt", 0, 0),
                new(ManifestEntryKind.Present, "out/app", 0, 0),
            ],
        };

        Assert.True(manifest.Holds(workflow));

        File.WriteAllText(workflow, "name: w2\n");
        Assert.False(manifest.Holds(workflow));
        File.WriteAllText(workflow, "name: w\n");
        Assert.True(manifest.Holds(workflow));

        // The same size, another time: changed.
        File.SetLastWriteTimeUtc(source, old.AddSeconds(1));
        Assert.False(manifest.Holds(workflow));
        File.SetLastWriteTimeUtc(source, old);

        // A path that was missing appeared (and the folder's time moved with it).
        Write("src/b.txt", "new");
        Directory.SetLastWriteTimeUtc(Path.Combine(_folder.FullName, "src"), old);
        Assert.False(manifest.Holds(workflow));
        File.Delete(Path.Combine(_folder.FullName, "src/b.txt"));
        Directory.SetLastWriteTimeUtc(Path.Combine(_folder.FullName, "src"), old);
        Assert.True(manifest.Holds(workflow));

        // A folder listed by a glob has another time but the same names (a lock file made and removed): it holds.
        Write("src/index.lock", "");
        File.Delete(Path.Combine(_folder.FullName, "src/index.lock"));
        Assert.True(manifest.Holds(workflow));

        // Another name in it: changed. As a folder rather than a file: changed too.
        Write("src/c.txt", "");
        Assert.False(manifest.Holds(workflow));
        File.Delete(Path.Combine(_folder.FullName, "src/c.txt"));
        Assert.True(manifest.Holds(workflow));
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "src/a.txt.d"));
        Assert.False(manifest.Holds(workflow));
        Directory.Delete(Path.Combine(_folder.FullName, "src/a.txt.d"));
        Assert.True(manifest.Holds(workflow));

        File.Delete(output);
        Assert.False(manifest.Holds(workflow));
        File.WriteAllText(output, "bin");
        Assert.True(manifest.Holds(workflow));

        File.Delete(workflow);
        Assert.False(manifest.Holds(workflow));
    }

    [Fact]
    public void A_large_manifest_checked_in_shares_finds_a_change_in_any_share()
    {
        var workflow = Write("flow.yaml", "name: w\n");
        var source = Write("src/a.txt", "one");
        var old = DateTime.UtcNow.AddMinutes(-5);
        File.SetLastWriteTimeUtc(source, old);
        var same = new ManifestEntry(ManifestEntryKind.File, "src/a.txt", 3, old.Ticks);
        var changed = same with { Size = 4 };
        RunManifest With(int count, int changedAt) => new()
        {
            CallKey = "k",
            EnvironmentNames = [],
            ContentHash = TextHash.Hex("name: w\n"),
            Folder = _folder.FullName,
            StepIds = ["build"],
            Entries = [.. Enumerable.Range(0, count).Select(i => i == changedAt ? changed : same)],
        };

        Assert.True(With(4_000, changedAt: -1).Holds(workflow));
        Assert.False(With(4_000, changedAt: 0).Holds(workflow));
        Assert.False(With(4_000, changedAt: 1_999).Holds(workflow));
        Assert.False(With(4_000, changedAt: 3_999).Holds(workflow));
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_folder.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
