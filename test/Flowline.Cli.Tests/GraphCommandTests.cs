namespace Flowline.Cli.Tests;

public sealed class GraphCommandTests
{
    private const string Diamond = """
        name: Diamond
        version: 1.0.0
        steps:
          - id: install
            name: Install
            type: script
            config: { command: "true" }
          - id: test
            name: Test
            type: script
            config: { command: "true" }
            dependsOn: [install]
          - id: build
            name: Build
            type: script
            config: { command: "true" }
            dependsOn: [install]
          - id: deploy
            name: Deploy
            type: script
            config: { command: "true" }
            dependsOn: [test, build]
        """;

    [Fact]
    public async Task Graph_defaults_to_mermaid_with_levels_and_edges()
    {
        using var dir = new TempDir();
        var file = dir.Write("diamond.yaml", Diamond);

        var run = await CliRunner.RunAsync("graph", file);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("flowchart TD", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("level 2", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("s0 --> s1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("s2 --> s3", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_text_groups_steps_by_dependency_level()
    {
        using var dir = new TempDir();
        var file = dir.Write("diamond.yaml", Diamond);

        var run = await CliRunner.RunAsync("graph", file, "--format", "text");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "level 0\n  install\nlevel 1\n  test <- install\n  build <- install\nlevel 2\n  deploy <- test, build\n",
            run.Stdout);
    }

    [Fact]
    public async Task Graph_dot_names_every_edge()
    {
        using var dir = new TempDir();
        var file = dir.Write("diamond.yaml", Diamond);

        var run = await CliRunner.RunAsync("graph", file, "--format", "dot");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"install\" -> \"test\";", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"build\" -> \"deploy\";", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_rejects_an_unknown_format_with_exit_2()
    {
        using var dir = new TempDir();
        var file = dir.Write("diamond.yaml", Diamond);

        var run = await CliRunner.RunAsync("graph", file, "--format", "png");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("png", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_marks_dependencies_implied_by_templates_and_conditions()
    {
        using var dir = new TempDir();
        var file = dir.Write("implicit.yaml", """
            name: Implicit
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
              - id: deploy
                name: Deploy
                type: script
                config: { command: "true" }
                dependsOn: [build]
                condition: "steps.notify.success"
            """);

        var text = await CliRunner.RunAsync("graph", file, "--format", "text");
        var mermaid = await CliRunner.RunAsync("graph", file);
        var dot = await CliRunner.RunAsync("graph", file, "--format", "dot");

        Assert.Equal("level 0\n  build\nlevel 1\n  notify <- build (reads)\nlevel 2\n  deploy <- build, notify (reads)\n", text.Stdout);
        Assert.Contains("s0 -. reads .-> s1", mermaid.Stdout, StringComparison.Ordinal);
        Assert.Contains("s0 --> s2", mermaid.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"build\" -> \"notify\" [style=dashed, label=\"reads\"];", dot.Stdout, StringComparison.Ordinal);
    }
}
