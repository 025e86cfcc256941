namespace Flowline.Cli.Tests;

/// <summary>What <c>flowline run</c> prints when stdout is not a terminal (CI logs), and with <c>--quiet</c>.</summary>
public sealed class RunOutputTests
{
    private static string TwoSteps(TempDir dir) => dir.Write("two.yaml", Workflows.Of(
        "Two",
        "",
        Workflows.Sh("first", "echo from-first"),
        Workflows.Sh("second", "exit 4", ["first"])));

    [Fact]
    public async Task Plain_output_shows_each_step_starting_and_finishing_with_its_output()
    {
        using var dir = new TempDir();

        var run = await CliRunner.RunAsync("run", TwoSteps(dir));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("▶ first started\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  first | from-first\n", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"✓ first completed in \d+m?s\n", run.Stdout);
        Assert.Contains("▶ second started\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("✗ second failed after ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Workflow: Two 1.0.0\nStatus: failed\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_prints_only_the_summary_line()
    {
        using var dir = new TempDir();

        var run = await CliRunner.RunAsync("run", TwoSteps(dir), "--quiet");

        Assert.Equal(1, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("Two: failed in ", line, StringComparison.Ordinal);
        Assert.Contains("step 'second' failed", line, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Quiet_prints_the_summary_line_of_a_successful_run()
    {
        using var dir = new TempDir();
        var file = dir.Write("ok.yaml", Workflows.Of("Ok", "", Workflows.Sh("a", "echo noisy")));

        var run = await CliRunner.RunAsync("run", file, "-q");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^Ok: completed in \d+m?s\n$", run.Stdout);
    }
}
