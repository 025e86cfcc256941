namespace Flowline.Cli.Tests;

/// <summary><c>--vars-file</c> and <c>--allow-undefined</c> of <c>flowline run</c> (issue #4).</summary>
public sealed class RunVariablesTests
{
    private static string PrintsRegionAndBranch(TempDir dir) => dir.Write("flow.yaml", Workflows.Of(
        "Vars",
        "",
        Workflows.Step("show", "sh", ["-c", "printf '%s %s\\n' \"$1\" \"$2\" > \"$0\"", dir.File("out.txt"), "{{ variables.deploy.region }}", "{{ variables.branch }}"])));

    [Fact]
    public async Task A_vars_file_gives_nested_values_and_var_wins_over_it()
    {
        using var dir = new TempDir();
        var flow = PrintsRegionAndBranch(dir);
        var vars = dir.Write("vars.yaml", "deploy:\n  region: eu-west-1\nbranch: from-file\n");

        var run = await CliRunner.RunAsync("run", flow, "--vars-file", vars, "--var", "branch=main", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("eu-west-1 main\n", File.ReadAllText(dir.File("out.txt")));
    }

    [Fact]
    public async Task A_json_vars_file_works_too()
    {
        using var dir = new TempDir();
        var flow = PrintsRegionAndBranch(dir);
        var vars = dir.Write("vars.json", """{ "deploy": { "region": "us-east-2" }, "branch": "release" }""");

        var run = await CliRunner.RunAsync("run", flow, "--vars-file", vars, "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("us-east-2 release\n", File.ReadAllText(dir.File("out.txt")));
    }

    [Fact]
    public async Task A_missing_vars_file_exits_2_naming_it_and_runs_nothing()
    {
        using var dir = new TempDir();
        var flow = PrintsRegionAndBranch(dir);

        var run = await CliRunner.RunAsync("run", flow, "--vars-file", dir.File("nope.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.yaml", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.txt")));
    }

    [Fact]
    public async Task A_vars_file_with_a_syntax_error_exits_2_with_its_line()
    {
        using var dir = new TempDir();
        var flow = PrintsRegionAndBranch(dir);
        var vars = dir.Write("vars.yaml", "branch: main\ndeploy: [unclosed\n");

        var run = await CliRunner.RunAsync("run", flow, "--vars-file", vars);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"vars\.yaml:\d+:\d+: error FL1\d{3}", run.Stderr);
        Assert.False(File.Exists(dir.File("out.txt")));
    }

    [Fact]
    public async Task An_undefined_variable_fails_the_step_with_the_fix_and_allow_undefined_renders_it_empty()
    {
        using var dir = new TempDir();
        var flow = PrintsRegionAndBranch(dir);

        var strict = await CliRunner.RunAsync("run", flow, "--var", "branch=main");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("variables.deploy.region is not defined", strict.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.txt")));

        var lenient = await CliRunner.RunAsync("run", flow, "--var", "branch=main", "--allow-undefined", "--quiet");
        Assert.True(lenient.ExitCode == 0, lenient.Stdout + lenient.Stderr);
        Assert.Equal(" main\n", File.ReadAllText(dir.File("out.txt")));
    }
}
