using Flowline.State;

namespace Flowline.Core.Tests.State;

public sealed class StateDirectoryTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_nearest_flowline_folder_above_the_current_directory_is_found()
    {
        Directory.CreateDirectory(_folder.Combine("repo", ".flowline"));
        var deep = Directory.CreateDirectory(_folder.Combine("repo", "src", "app")).FullName;

        var resolved = StateDirectory.Resolve(null, deep, NoEnvironment);

        Assert.Equal(_folder.Combine("repo", ".flowline"), resolved.Path);
        Assert.Equal(_folder.Combine("repo", ".flowline", "flowline.db"), resolved.DatabasePath);
    }

    [Fact]
    public void A_flowline_folder_in_the_current_directory_wins_over_one_further_up()
    {
        Directory.CreateDirectory(_folder.Combine(".flowline"));
        Directory.CreateDirectory(_folder.Combine("inner", ".flowline"));

        var resolved = StateDirectory.Resolve(null, _folder.Combine("inner"), NoEnvironment);

        Assert.Equal(_folder.Combine("inner", ".flowline"), resolved.Path);
    }

    [Fact]
    public async Task Without_a_flowline_folder_one_is_created_in_the_current_directory_when_the_store_opens()
    {
        var current = Directory.CreateDirectory(_folder.Combine("fresh")).FullName;

        var resolved = StateDirectory.Resolve(null, current, NoEnvironment);
        Assert.Equal(_folder.Combine("fresh", ".flowline"), resolved.Path);
        Assert.False(Directory.Exists(resolved.Path));

        await using (await SqliteRunStore.OpenAsync(resolved))
        {
            Assert.True(File.Exists(_folder.Combine("fresh", ".flowline", "flowline.db")));
        }
    }

    [Fact]
    public void The_environment_variable_overrides_the_search_and_resolves_relative_to_the_current_directory()
    {
        Directory.CreateDirectory(_folder.Combine(".flowline"));
        var environment = new Dictionary<string, string?> { ["FLOWLINE_STATE_DIR"] = "state" };

        var resolved = StateDirectory.Resolve(null, _folder.Path, environment);

        Assert.Equal(_folder.Combine("state"), resolved.Path);
    }

    [Fact]
    public void An_explicit_state_dir_overrides_the_environment_variable()
    {
        var environment = new Dictionary<string, string?> { ["FLOWLINE_STATE_DIR"] = _folder.Combine("from-env") };

        var resolved = StateDirectory.Resolve(_folder.Combine("explicit"), "/somewhere/else", environment);

        Assert.Equal(_folder.Combine("explicit"), resolved.Path);
    }

    [Fact]
    public void An_empty_environment_variable_is_ignored()
    {
        var environment = new Dictionary<string, string?> { ["FLOWLINE_STATE_DIR"] = "", };

        var resolved = StateDirectory.Resolve(null, _folder.Path, environment);

        Assert.Equal(_folder.Combine(".flowline"), resolved.Path);
    }

    [Fact]
    public void Log_paths_live_under_runs_and_refuse_ids_that_would_leave_it()
    {
        var directory = new StateDirectory(_folder.Combine(".flowline"));

        Assert.Equal(_folder.Combine(".flowline", "runs", "01ABC", "compile.log"), directory.StepLogPath("01ABC", "compile"));
        Assert.Throws<ArgumentException>(() => directory.StepLogPath("01ABC", "../escape"));
        Assert.Throws<ArgumentException>(() => directory.RunLogDirectory(".."));
    }
}
