using Flowline.Execution.Processes;

namespace Flowline.Core.Tests.Execution.Processes;

public sealed class CommandResolverTests : IDisposable
{
    private readonly ScriptTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Resolver_searches_path_in_order_and_skips_files_that_are_not_executable()
    {
        Directory.CreateDirectory(_bed.Path("a"));
        Directory.CreateDirectory(_bed.Path("b"));
        File.WriteAllText(_bed.Path("a/tool"), "not executable");
        var executable = _bed.Script("b/tool", "true");

        var found = CommandResolver.TryResolve("tool", _bed.Folder, $"{_bed.Path("a")}:{_bed.Path("b")}", out var resolved, out var error);

        Assert.True(found, error);
        Assert.Equal(executable, resolved);
    }

    [Fact]
    public void Resolver_resolves_relative_path_entries_against_the_working_directory()
    {
        Directory.CreateDirectory(_bed.Path("bin"));
        var executable = _bed.Script("bin/tool", "true");

        Assert.True(CommandResolver.TryResolve("tool", _bed.Folder, "bin", out var resolved, out _));
        Assert.Equal(executable, resolved);
    }

    [Fact]
    public void Resolver_names_the_command_and_every_searched_folder_when_nothing_is_found()
    {
        Assert.False(CommandResolver.TryResolve("nope", _bed.Folder, "/x:/y", out _, out var error));
        Assert.Equal("Command 'nope' was not found in PATH (/x:/y). Install it, add its folder to PATH, or give its path (containing '/').", error);
    }

    [Fact]
    public void Resolver_reports_an_empty_path()
    {
        Assert.False(CommandResolver.TryResolve("nope", _bed.Folder, "", out _, out var error));
        Assert.Contains("PATH is empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_rejects_a_directory_given_as_command()
    {
        Directory.CreateDirectory(_bed.Path("dir"));

        Assert.False(CommandResolver.TryResolve("./dir", _bed.Folder, "/usr/bin", out _, out var error));
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_rejects_an_empty_command()
    {
        Assert.False(CommandResolver.TryResolve(" ", _bed.Folder, "/usr/bin", out _, out var error));
        Assert.Contains("command is empty", error, StringComparison.Ordinal);
    }
}
