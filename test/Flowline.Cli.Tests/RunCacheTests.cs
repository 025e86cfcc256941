using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary><c>cache:</c> and <c>--force</c> through the built <c>flowline</c> (issue 14, docs/caching.md).</summary>
public sealed class RunCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string StateDir => _dir.File("state");

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    private static JsonElement StepReport(string reportPath, string stepId)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        return report.RootElement.GetProperty("stepResults").GetProperty(stepId).Clone();
    }

    private string Flow()
    {
        Directory.CreateDirectory(_dir.File("src"));
        File.WriteAllText(_dir.File("src/app.cs"), "class App {}\n");
        return _dir.Write("build.yaml", """
            name: app
            version: 1.0.0
            steps:
              - id: build
                name: Build
                type: script
                cache:
                  sources: ["src/**/*.cs"]
                  outputs: ["bin/app"]
                config:
                  command: sh
                  args: ["-c", "mkdir -p bin && cat src/app.cs > bin/app && echo built >> builds.log && echo size=$(wc -c < bin/app) >> $FLOWLINE_OUTPUT"]
              - id: ship
                name: Ship
                type: script
                cache:
                  key: "{{ steps.build.output.size }}"
                config:
                  command: echo
                  args: ["shipping {{ steps.build.output.size }} bytes"]
            """);
    }

    [Fact]
    public async Task The_second_run_is_up_to_date_with_the_reason_in_the_summary_and_the_report_and_feeds_downstream()
    {
        var flow = Flow();
        var report = _dir.File("report.json");

        var first = await Flowline("run", flow);
        var second = await Flowline("run", flow, "--report-json", report);

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("build  completed", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: no earlier run", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        var firstId = first.RunId;
        Assert.Contains($"✓ build up to date (run {firstId})", second.Stdout, StringComparison.Ordinal);
        Assert.Contains($"build  completed  up to date (run {firstId})", second.Stdout, StringComparison.Ordinal);
        Assert.True(StepReport(report, "build").GetProperty("cached").GetBoolean());
        Assert.Equal($"up to date (run {firstId})", StepReport(report, "build").GetProperty("cacheReason").GetString());
        Assert.Equal("shipping 13 bytes", StepReport(report, "ship").GetProperty("output").GetString());
        Assert.Equal("13", StepReport(report, "build").GetProperty("outputs").GetProperty("size").GetString());
        Assert.Single(File.ReadAllLines(_dir.File("builds.log")));

        var show = await Flowline("show", second.RunId);
        Assert.Contains($"up to date (run {firstId})", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_touched_source_reruns_the_steps_it_affects_and_a_deleted_output_forces_a_rerun()
    {
        var flow = Flow();
        await Flowline("run", flow);
        File.WriteAllText(_dir.File("src/app.cs"), "class App { int x; }\n");

        var touched = await Flowline("run", flow);
        File.Delete(_dir.File("bin/app"));
        var deleted = await Flowline("run", flow);

        Assert.Contains("build  completed", touched.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: src/app.cs changed", touched.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: args changed, key changed, steps.build.output changed", touched.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: bin/app is missing", deleted.Stdout, StringComparison.Ordinal);
        Assert.Contains("ship   completed  up to date", deleted.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(_dir.File("builds.log")).Length);
    }

    [Fact]
    public async Task Force_reruns_everything_and_force_step_reruns_one()
    {
        var flow = Flow();
        await Flowline("run", flow);

        var all = await Flowline("run", flow, "--force");
        var one = await Flowline("run", flow, "--force", "ship");

        Assert.True(all.ExitCode == 0, all.Stdout + all.Stderr);
        Assert.Contains("build  completed", all.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, all.Stdout.Split("ran: forced (--force)").Length - 1); // each step in the live lines and the summary
        Assert.Contains("build  completed  up to date", one.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ ship completed in", one.Stdout, StringComparison.Ordinal);
        Assert.Contains("(ran: forced (--force))", one.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(_dir.File("builds.log")).Length);
    }

    [Fact]
    public async Task A_child_workflows_cached_step_is_up_to_date_on_the_second_run_and_reruns_when_its_source_changes_or_the_step_is_forced()
    {
        Directory.CreateDirectory(_dir.File("deploy/src"));
        File.WriteAllText(_dir.File("deploy/src/site.txt"), "v1\n");
        _dir.Write("deploy/deploy.yaml", """
            name: deploy
            version: 1.0.0
            steps:
              - id: push
                name: Push
                type: script
                cache:
                  sources: ["src/*.txt"]
                config:
                  command: sh
                  args: ["-c", "cat src/site.txt >> ../pushes.log"]
            """);
        var flow = _dir.Write("main.yaml", """
            name: main
            version: 1.0.0
            steps:
              - id: deploy
                name: Deploy
                type: workflow
                config:
                  path: ./deploy/deploy.yaml
            """);
        var report = _dir.File("report.json");
        string Reason() => ReportJson.StepResults(report).GetProperty("deploy/push").GetProperty("cacheReason").GetString()!;

        var first = await Flowline("run", flow, "--report-json", report);
        var firstReason = Reason();
        var second = await Flowline("run", flow, "--report-json", report);
        var secondReason = Reason();
        var secondCached = ReportJson.StepResults(report).GetProperty("deploy/push").GetProperty("cached").GetBoolean();
        File.WriteAllText(_dir.File("deploy/src/site.txt"), "v2\n");
        var touched = await Flowline("run", flow, "--report-json", report);
        var touchedReason = Reason();
        var forced = await Flowline("run", flow, "--force", "deploy", "--report-json", report);
        var forcedReason = Reason();

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Equal("ran: no earlier run", firstReason);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.True(secondCached);
        Assert.Equal($"up to date (run {first.RunId})", secondReason);
        Assert.True(touched.ExitCode == 0, touched.Stdout + touched.Stderr);
        Assert.Equal("ran: src/site.txt changed", touchedReason);
        Assert.True(forced.ExitCode == 0, forced.Stdout + forced.Stderr);
        Assert.Equal("ran: forced (--force)", forcedReason);
        Assert.Equal(["v1", "v2", "v2"], File.ReadAllLines(_dir.File("pushes.log")));
    }

    [Fact]
    public async Task Force_with_an_unknown_step_or_before_the_file_is_a_usage_error()
    {
        var flow = Flow();

        var unknown = await Flowline("run", flow, "--force", "biuld");
        var misplaced = await Flowline("run", "--force", flow);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error FL1164: --force biuld: workflow 'app' has no step 'biuld'. Did you mean 'build'?", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, misplaced.ExitCode);
        Assert.Contains("put --force after the workflow file", misplaced.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("builds.log")));
    }

    [Fact]
    public async Task Validate_reports_cache_mistakes_at_their_line_and_column()
    {
        var flow = _dir.Write("bad.yaml", """
            name: app
            version: 1.0.0
            steps:
              - id: build
                name: Build
                type: script
                cache:
                  sorces: ["src/**"]
                  outputs: ["bin/*.dll"]
                config: { command: "true" }
            """);

        var run = await CliRunner.RunAsync(["validate", flow]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad.yaml:8:7: error FL1006: Unknown key 'sorces' in the step 'cache' block. Did you mean 'sources'?", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:9:17: error FL1162:", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
