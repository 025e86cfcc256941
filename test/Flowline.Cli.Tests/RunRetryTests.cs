using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary><c>retry:</c> through <c>flowline run</c>, <c>logs</c> and <c>show</c> with real processes (issue 13, docs/retries.md).</summary>
public sealed class RunRetryTests : IDisposable
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

    [Fact]
    public async Task A_flaky_step_succeeds_on_its_third_attempt_and_every_attempt_shows_in_the_log_and_the_report()
    {
        var tries = _dir.File("tries");
        var flow = _dir.Write("flaky.yaml", Workflows.Of("flaky", "",
            Workflows.Sh("fetch", $"echo \"try $FLOWLINE_ATTEMPT\" >> {tries}; echo \"out $FLOWLINE_ATTEMPT\"; [ \"$FLOWLINE_ATTEMPT\" -ge 3 ]", extra: "retry: { attempts: 3, delay: 10ms, backoff: 2 }"),
            Workflows.Sh("use", "echo \"got {{ steps.fetch.output }}\"", ["fetch"])));
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["try 1", "try 2", "try 3"], File.ReadAllLines(tries));
        Assert.Contains("▶ fetch started (attempt 3)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("use | got out 3", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, StepReport(report, "fetch").GetProperty("attempts").GetInt32());
        Assert.Equal("out 3", StepReport(report, "fetch").GetProperty("output").GetString());

        var id = run.RunId;
        var logs = await Flowline("logs", id, "fetch");
        Assert.Equal(0, logs.ExitCode);
        var lines = logs.Stdout.Split('\n');
        Assert.True(
            Array.IndexOf(lines, "── attempt 1 of 3 ──") < Array.IndexOf(lines, "out 1")
            && Array.IndexOf(lines, "out 1") < Array.IndexOf(lines, "── attempt 2 of 3 ──")
            && Array.IndexOf(lines, "── attempt 3 of 3 ──") < Array.IndexOf(lines, "out 3"),
            logs.Stdout);
        Assert.Contains("attempt 1 of 3 failed: 'sh' exited with code 1; attempt 2 starts in 10ms", logs.Stdout, StringComparison.Ordinal);

        var show = await Flowline("show", id);
        Assert.Contains("(3 attempts)", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_is_not_found_is_not_retried()
    {
        var flow = _dir.Write("missing.yaml", Workflows.Of("missing", "",
            Workflows.Step("nope", "flowline-no-such-command-13", [], extra: "retry: { attempts: 5, delay: 0 }")));
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(1, StepReport(report, "nope").GetProperty("attempts").GetInt32());
        Assert.DoesNotContain("attempt 2", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_whose_template_cannot_be_rendered_is_not_retried()
    {
        var marker = _dir.File("ran");
        var flow = _dir.Write("template.yaml", Workflows.Of("template", "",
            Workflows.Sh("bad", $"echo x >> {marker}; echo {{{{ variables.missing }}}}", extra: "retry: { attempts: 5, delay: 0 }")));
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report);

        Assert.Equal(1, run.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.True(StepReport(report, "bad").GetProperty("attempts").GetInt32() <= 1);
        Assert.Contains("variables.missing", StepReport(report, "bad").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_listed_exit_codes_are_retried()
    {
        var tries = _dir.File("tries");
        var flow = _dir.Write("codes.yaml", Workflows.Of("codes", "",
            Workflows.Sh("tempfail", $"echo t >> {tries}; exit 75", extra: "retry: { attempts: 3, delay: 0, onExitCodes: [75] }"),
            Workflows.Sh("hardfail", $"echo h >> {tries}; exit 2", extra: "retry: { attempts: 3, delay: 0, onExitCodes: [75] }\ncontinueOnError: true")));
        var report = _dir.File("report.json");

        var run = await Flowline("run", flow, "--report-json", report, "--continue-on-error");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(3, StepReport(report, "tempfail").GetProperty("attempts").GetInt32());
        Assert.Equal(1, StepReport(report, "hardfail").GetProperty("attempts").GetInt32());
        Assert.Equal(4, File.ReadAllLines(tries).Length);
    }

    [Fact]
    public async Task Validate_points_at_a_bad_retry_block_with_its_line_and_column()
    {
        var flow = _dir.Write("bad.yaml", Workflows.Of("bad", "",
            Workflows.Sh("a", "true", extra: "retry: { atempts: 3 }")));

        var run = await CliRunner.RunAsync("validate", flow);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"bad\.yaml:\d+:\d+: error FL1006: Unknown key 'atempts' in the step 'retry' block\. Did you mean 'attempts'\?", run.Stderr);
        Assert.Contains("error FL1121", run.Stderr, StringComparison.Ordinal);
    }
}
