namespace Flowline.Cli.Tests;

/// <summary>
/// A file where the state folder should be (issue 18, item 4): every command that reads or records runs says so and
/// exits 2, instead of listing no runs as if nothing had been recorded.
/// </summary>
public sealed class StateFolderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("runs")]
    [InlineData("runs", "prune", "--keep", "1")]
    [InlineData("show", "01JDX3M5Q8ZV4K7N2B9C6F1H0T")]
    [InlineData("logs", "01JDX3M5Q8ZV4K7N2B9C6F1H0T")]
    public async Task A_state_folder_that_is_a_file_is_an_error_not_an_empty_history(params string[] args)
    {
        var state = _dir.Write(".flowline", "not a folder");

        var run = await CliRunner.RunAsync([.. args, "--state-dir", state]);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"The state folder '{state}' is a file, not a folder", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("No runs recorded", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("pruned", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_refuses_a_state_folder_that_is_a_file_before_its_first_step()
    {
        var state = _dir.Write(".flowline", "not a folder");
        var marker = _dir.File("ran");
        var file = _dir.Write("workflow.yaml", Workflows.Of("Touch", "", Workflows.Sh("touch", $"touch '{marker}'")));

        var run = await CliRunner.RunAsync("run", file, "--state-dir", state);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("is a file, not a folder", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--no-state", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }
}
