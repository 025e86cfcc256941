using System.CommandLine;

namespace Flowline.Cli.Tests;

/// <summary><c>flowline run</c> exit codes 0, 1 and 2, and what it makes of its arguments (issue #3, "flowline run").</summary>
public sealed class RunCommandUsageTests
{
    [Fact]
    public async Task A_workflow_that_succeeds_exits_0()
    {
        using var dir = new TempDir();
        var file = dir.Write("ok.yaml", Workflows.Of("Ok", "", Workflows.Sh("a", "true"), Workflows.Sh("b", "true", ["a"])));

        var run = await CliRunner.RunAsync("run", file);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
    }

    [Fact]
    public async Task A_workflow_with_a_failing_step_exits_1_and_skips_its_dependents()
    {
        using var dir = new TempDir();
        var file = dir.Write("fail.yaml", Workflows.Of(
            "Fail",
            "",
            Workflows.Sh("a", "exit 3"),
            Workflows.Sh("b", $"touch {Workflows.Quote(dir.File("b-ran"))}", ["a"])));

        var run = await CliRunner.RunAsync("run", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("exited with code 3", run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("b-ran")));
    }

    [Fact]
    public async Task A_missing_file_exits_2_and_names_the_file()
    {
        var run = await CliRunner.RunAsync("run", "/nonexistent/flow.yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/flow.yaml", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_file_exits_2_and_starts_no_step()
    {
        using var dir = new TempDir();
        var marker = dir.File("ran");

        // The first step is fine and would create the marker; the second depends on a step that does not exist.
        var file = dir.Write("invalid.yaml", Workflows.Of(
            "Invalid",
            "",
            Workflows.Sh("first", $"touch {marker}"),
            Workflows.Sh("second", $"touch {marker}", ["nowhere"])));

        var run = await CliRunner.RunAsync("run", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nowhere", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "validation must run before any step starts");
    }

    [Fact]
    public async Task A_cyclic_file_exits_2_starts_no_step_and_writes_no_report()
    {
        using var dir = new TempDir();
        var marker = dir.File("ran");
        var report = dir.File("report.json");
        var file = dir.Write("cycle.yaml", Workflows.Of(
            "Cycle",
            "",
            Workflows.Sh("free", $"touch {marker}"),
            Workflows.Sh("a", $"touch {marker}", ["b"]),
            Workflows.Sh("b", $"touch {marker}", ["a"])));

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.False(File.Exists(report), "the report is for runs that passed validation");
    }

    [Fact]
    public async Task An_unknown_option_exits_2_with_the_run_help()
    {
        var run = await CliRunner.RunAsync("run", "x.yaml", "--no-such-option");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--no-such-option", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--max-concurrency", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_var_without_equals_exits_2_with_a_message_showing_the_form()
    {
        using var dir = new TempDir();
        var marker = dir.File("ran");
        var file = dir.Write("ok.yaml", Workflows.Of("Ok", "", Workflows.Sh("a", $"touch {marker}")));

        var run = await CliRunner.RunAsync("run", file, "--var", "x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--var 'x' is not an assignment: write --var name=value", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1.5")]
    public async Task A_max_concurrency_that_is_not_a_positive_whole_number_exits_2(string value)
    {
        var run = await CliRunner.RunAsync("run", "x.yaml", "--max-concurrency", value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--max-concurrency '{value}' is not a valid limit", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("10x")]
    [InlineData("s30")]
    [InlineData("-5s")]
    [InlineData("99999999999999")]
    [InlineData("1200h")]
    public async Task A_timeout_that_is_not_a_positive_duration_exits_2(string value)
    {
        var run = await CliRunner.RunAsync("run", "x.yaml", "--timeout", value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--timeout '{value}'", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2500", 2500)]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("4294967294", 4_294_967_294)]
    public void Timeout_takes_milliseconds_or_a_duration(string value, long milliseconds)
    {
        var parse = Parse("run", "x.yaml", "--timeout", value);

        Assert.Empty(parse.Errors);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), parse.GetValue<TimeSpan?>("--timeout"));
    }

    [Fact]
    public void Vars_are_strings_except_true_false_and_plain_numbers()
    {
        var parse = Parse(
            "run", "x.yaml",
            "--var", "yes=true", "--var", "no=false", "--var", "count=42", "--var", "ratio=-1.5",
            "--var", "branch=main", "--var", "version=007", "--var", "big=1e5", "--var", "capital=True",
            "--var", "empty=", "--var", "url=a=b");

        Assert.Empty(parse.Errors);
        var vars = parse.GetValue<IReadOnlyDictionary<string, object?>>("--var")!;
        Assert.Equal(true, vars["yes"]);
        Assert.Equal(false, vars["no"]);
        Assert.Equal(42L, vars["count"]);
        Assert.Equal(-1.5d, vars["ratio"]);
        Assert.Equal("main", vars["branch"]);
        Assert.Equal("007", vars["version"]);
        Assert.Equal("1e5", vars["big"]);
        Assert.Equal("True", vars["capital"]);
        Assert.Equal("", vars["empty"]);
        Assert.Equal("a=b", vars["url"]);
    }

    [Fact]
    public void A_repeated_var_keeps_the_last_value()
    {
        var parse = Parse("run", "x.yaml", "--var", "env=staging", "--var", "env=production");

        Assert.Equal("production", parse.GetValue<IReadOnlyDictionary<string, object?>>("--var")!["env"]);
    }

    [Fact]
    public void Repeated_vars_before_the_file_take_one_value_each()
    {
        var parse = Parse("run", "--var", "a=1", "--var", "b=two", "flow.yaml");

        Assert.Empty(parse.Errors);
        Assert.Equal("flow.yaml", parse.GetValue<string>("file"));
        Assert.Equal(["a", "b"], parse.GetValue<IReadOnlyDictionary<string, object?>>("--var")!.Keys);
    }

    [Fact]
    public async Task Shell_metacharacters_in_args_reach_the_command_literally()
    {
        using var dir = new TempDir();
        var canary = dir.File("canary");
        string[] args = ["; touch " + canary, "$(touch " + canary + ")", "`id`", "a | b && c", "'quoted' \"double\"", "*", "$HOME", "> out"];
        var file = dir.Write("meta.yaml", Workflows.Of(
            "Meta",
            "",
            Workflows.Step("print", "printf", ["%s\\n", .. args])));
        var report = dir.File("report.json");

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.False(File.Exists(canary), "an argument must never reach a shell");
        Assert.False(File.Exists(dir.File("out")));
        foreach (var arg in args)
        {
            Assert.Contains("  print | " + arg + "\n", run.Stdout, StringComparison.Ordinal);
        }
    }

    private static ParseResult Parse(params string[] args)
    {
        using var sink = new StringWriter();
        return FlowlineApp.CreateRoot(new CliConsole(sink, sink, IsInteractive: false)).Parse(args);
    }
}
