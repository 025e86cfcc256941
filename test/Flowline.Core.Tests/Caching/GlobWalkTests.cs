using Flowline.Caching;
using Flowline.Core.Tests.State;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Flowline.Core.Tests.Caching;

/// <summary>
/// The directory-listing glob walk of <c>cache.sources</c> (issue 14) matches exactly what
/// Microsoft.Extensions.FileSystemGlobbing matched before it, on a real tree.
/// </summary>
public sealed class GlobWalkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public GlobWalkTests()
    {
        string[] files =
        [
            "a.txt", "b.md", ".hidden.txt", "abc.txt.bak", "src/x.cs", "src/y.txt", "src/deep/z.cs", "src/deep/er/w.cs",
            "src/.dot/v.cs", "docs/readme.md", "docs/api/index.md", "aXbXc", "abc",
        ];
        foreach (var file in files)
        {
            var path = _folder.Combine(file.Split('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }

        Directory.CreateDirectory(_folder.Combine("empty"));
        Directory.CreateSymbolicLink(_folder.Combine("linked"), _folder.Combine("docs"));
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("*")]
    [InlineData("*.txt")]
    [InlineData("*.md")]
    [InlineData("a*c")]
    [InlineData("a*b*c")]
    [InlineData("*X*")]
    [InlineData("**/*")]
    [InlineData("**/*.cs")]
    [InlineData("**/deep/*.cs")]
    [InlineData("*/*.md")]
    [InlineData("*/api/*")]
    [InlineData("**")]
    [InlineData("**/**/*.cs")]
    [InlineData("**/index.md")]
    [InlineData("empty/*")]
    [InlineData("nothing*")]
    public void The_walk_matches_what_the_globbing_library_matches(string pattern)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        var expected = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(_folder.Path))).Files
            .Select(file => Path.Combine(_folder.Path, file.Path)).Order(StringComparer.Ordinal).ToList();

        Assert.True(GlobWalk.Handles(pattern));
        var files = GlobWalk.Files(_folder.Path, pattern).ToList();
        var actual = files.Select(file => file.Full).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, actual);
        Assert.All(files, file => Assert.Equal(Path.GetRelativePath(_folder.Path, file.Full).Replace('\\', '/'), file.Relative));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*.cs", "a.cs", true)]
    [InlineData("*.cs", "a.csx", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    [InlineData("a**b", "ab", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("a*b*c", "abbc", true)]
    [InlineData("x", "X", false)]
    [InlineData("*a*b*", "xaxbx", true)]
    [InlineData("*b*a*", "ab", false)]
    [InlineData("a*b*b*c", "abbc", true)]
    [InlineData("a*b*b*c", "abc", false)]
    [InlineData("s*.txt", "s.txt", true)]
    [InlineData("ab*ba", "aba", false)]
    public void A_segment_matches_by_ordinal_name_with_stars(string segment, string name, bool matches) =>
        Assert.Equal(matches, GlobWalk.Matches(segment, name));

    [Theory]
    [InlineData("../x/*.cs")]
    [InlineData("a/./*.cs")]
    [InlineData("a//*.cs")]
    public void A_pattern_with_dot_or_empty_segments_is_left_to_the_library(string pattern) =>
        Assert.False(GlobWalk.Handles(pattern));

    [Theory]
    [InlineData("missing")]
    [InlineData("a.txt")]
    public void A_root_that_is_no_folder_matches_nothing(string root)
    {
        Assert.Empty(GlobWalk.Files(_folder.Combine(root), "**/*"));
        Assert.Empty(GlobWalk.Files(_folder.Combine(root), "*.txt"));
    }

    [Fact]
    public void A_literal_source_is_a_file_or_every_file_under_a_folder_or_nothing()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var handle = FileStat.OpenFolder(_folder.Path);

        Assert.True(CacheSources.Expand(_folder.Path, "a.txt", files, handle));
        Assert.True(CacheSources.Expand(_folder.Path, "src/deep", files, handle));
        Assert.False(CacheSources.Expand(_folder.Path, "missing.txt", files, handle));
        Assert.False(CacheSources.Expand(_folder.Path, "missing/*.txt", files, handle));

        Assert.Equal(["a.txt", "src/deep/er/w.cs", "src/deep/z.cs"], files.Keys);
    }

    [Fact]
    public void Validation_stops_at_the_first_match_and_sees_none_in_an_empty_folder()
    {
        Assert.True(CacheSources.MatchesAny(_folder.Path, "src/**/*.cs"));
        Assert.False(CacheSources.MatchesAny(_folder.Path, "empty/**/*"));
        Assert.False(CacheSources.MatchesAny(_folder.Path, "missing/*.cs"));
    }

    [Theory]
    [InlineData("src/**/*.cs")]
    [InlineData("src/deep/*.cs")]
    [InlineData("./src/*.cs")]
    [InlineData("src/../docs/*.md")]
    [InlineData("a.txt")]
    [InlineData("src/deep")]
    [InlineData("*.txt")]
    [InlineData("linked/*.md")]
    public void Expanded_sources_are_keyed_by_their_path_relative_to_the_folder(string glob)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        Assert.True(CacheSources.Expand(_folder.Path, glob, files));

        Assert.All(files, file =>
        {
            Assert.True(Path.IsPathFullyQualified(file.Value), file.Value);
            Assert.Equal(Path.GetRelativePath(_folder.Path, Path.GetFullPath(file.Value)).Replace('\\', '/'), file.Key);
            Assert.True(File.Exists(file.Value), file.Value);
        });
    }

    [Fact]
    public void An_absolute_glob_is_keyed_relative_to_the_folder()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        Assert.True(CacheSources.Expand(_folder.Combine("docs"), _folder.Combine("src") + "/*.cs", files));

        Assert.Equal(["../src/x.cs"], files.Keys);
        Assert.Equal(_folder.Combine("src", "x.cs"), files["../src/x.cs"]);
    }
}
