namespace Flowline.Cli.Tests;

/// <summary>Arithmetic and <c>matches</c> through the built CLI (issue 19): a run uses them, validate locates a bad pattern.</summary>
public sealed class ExpressionOperatorsTests
{
    private const string ReleaseCondition = @"matches(variables.branch, '^release/\\d+$') && variables.count - 1 > 0";

    private static string Workflow(TempDir dir, string condition) => dir.Write("flow.yaml", Workflows.Of(
        "Ops",
        "",
        Workflows.Step(
            "compute",
            "sh",
            ["-c", "printf '%s %s\\n' \"$1\" \"$2\" > \"$0\"", dir.File("out.txt"), "{{ variables.count * 2 + 1 }}", "{{ round(divide(7, 2)) }}"],
            extra: $"condition: {Workflows.Quote(condition)}")));

    [Fact]
    public async Task A_run_computes_templates_and_matches_its_condition()
    {
        using var dir = new TempDir();
        var flow = Workflow(dir, ReleaseCondition);

        var run = await CliRunner.RunAsync("run", flow, "--var", "count=5", "--var", "branch=release/2", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("11 4\n", File.ReadAllText(dir.File("out.txt")));
    }

    [Fact]
    public async Task A_condition_whose_pattern_does_not_match_skips_the_step()
    {
        using var dir = new TempDir();
        var flow = Workflow(dir, ReleaseCondition);

        var run = await CliRunner.RunAsync("run", flow, "--var", "count=5", "--var", "branch=feature/x", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.False(File.Exists(dir.File("out.txt")));
    }

    [Fact]
    public async Task Validate_reports_an_invalid_literal_pattern_at_its_line_and_column()
    {
        using var dir = new TempDir();
        var flow = Workflow(dir, "matches(variables.branch, 'release/(')");

        var run = await CliRunner.RunAsync("validate", flow);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"flow\.yaml:\d+:\d+: error FL3020: .*matches\(\) pattern 'release/\(' is not a valid regular expression", run.Stderr);
    }
}
