namespace Flowline.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_accepts_every_example_and_exits_0()
    {
        var files = Directory.GetFiles(RepoPaths.Examples, "*.yaml");
        Assert.NotEmpty(files);

        var run = await CliRunner.RunAsync(["validate", .. files]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(files.Length, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("valid", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_the_cycle_path_and_exits_2()
    {
        using var dir = new TempDir();
        var file = dir.Write("cycle.yaml", """
            name: Cycle
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config: { command: "true" }
                dependsOn: [c]
              - id: b
                name: B
                type: script
                config: { command: "true" }
                dependsOn: [a]
              - id: c
                name: C
                type: script
                config: { command: "true" }
                dependsOn: [b]
            """);

        var run = await CliRunner.RunAsync("validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a -> c -> b -> a", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(file + ":", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FL2", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_every_failing_part_of_a_template_each_at_its_own_column()
    {
        using var dir = new TempDir();
        var file = dir.Write("parts.yaml", """
            name: Parts
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config:
                  command: echo
                  args: ["{{missing1}} and {{missing2}} and {{ nosuch(1) }}"]
            """);

        var run = await CliRunner.RunAsync("validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(file + ":9:17: error FL3010", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(file + ":9:34: error FL3010", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(file + ":9:52: error FL3003", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_points_at_the_first_byte_that_is_not_UTF_8_and_exits_2()
    {
        using var dir = new TempDir();
        var file = dir.File("latin1.yaml");
        File.WriteAllBytes(file, [.. "name: Caf"u8, 0xE9, .. "\nversion: 1.0.0\nsteps: []\n"u8]);

        var run = await CliRunner.RunAsync("validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{file}:1:10: error FL1011: The file is not valid UTF-8: the bytes 0xE9 here", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_the_line_and_column_of_a_yaml_syntax_error_and_exits_2()
    {
        using var dir = new TempDir();
        var file = dir.Write("broken.yaml", "name: Broken\nversion: 1.0.0\nsteps:\n  - id: a\n    name: [unclosed\n");

        var run = await CliRunner.RunAsync("validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"broken\.yaml:\d+:\d+: error FL1\d{3}: ", run.Stderr);
    }

    [Fact]
    public async Task Validate_reports_a_missing_file_and_exits_2()
    {
        var run = await CliRunner.RunAsync("validate", "/nonexistent/flow.yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/flow.yaml", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_with_help_and_exit_2()
    {
        var run = await CliRunner.RunAsync("validate", "--no-such-option", "x.yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--no-such-option", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_and_help_work()
    {
        var version = await CliRunner.RunAsync("--version");
        var help = await CliRunner.RunAsync("--help");

        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"\d+\.\d+\.\d+", version.Stdout);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("validate", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("graph", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_file_errors_and_graph_errors_in_one_pass()
    {
        using var dir = new TempDir();
        var file = dir.Write("both.yaml", """
            name: Both
            version: 1.0.0
            descripton: typo
            steps:
              - id: a
                name: A
                type: script
                config: { command: "true" }
                dependsOn: [b]
              - id: b
                name: B
                type: script
                config: { command: "true" }
                dependsOn: [a]
            """);

        var run = await CliRunner.RunAsync("validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("both.yaml:3:1: error FL1006", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FL2003", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_verbose_lists_the_dependencies_implied_by_step_references()
    {
        using var dir = new TempDir();
        var file = dir.Write("reads.yaml", """
            name: Reads
            version: 1.0.0
            steps:
              - id: build
                name: Build
                type: script
                config: { command: "true" }
              - id: notify
                name: Notify
                type: script
                config: { command: echo, args: ["{{ steps.build.output }}"] }
            """);

        var quiet = await CliRunner.RunAsync("validate", file);
        var verbose = await CliRunner.RunAsync("validate", "--verbose", file);

        Assert.Equal(0, verbose.ExitCode);
        Assert.DoesNotContain("waits for", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains("  notify waits for build (its condition or templates read them)", verbose.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_an_unclosed_bracket_in_the_agents_file_at_its_position_and_exits_2()
    {
        using var dir = new TempDir();
        var agents = dir.Write("flowline.agents.yaml", "agents:\n  reviewer: [\n    provider\n  other: x\n");
        var file = dir.Write("review.yaml", """
            name: Review
            version: 1.0.0
            steps:
              - id: review
                name: Review
                type: agent
                config: { agent: reviewer, prompt: "Review the change" }
            """);

        var run = await CliRunner.RunAsync("validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(agents + ":2:13: error FL4011: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }
}
