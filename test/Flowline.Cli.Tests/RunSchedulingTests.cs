namespace Flowline.Cli.Tests;

/// <summary>
/// The CLI's scheduling switches, checked from the start and end times the steps record themselves, never from the
/// engine's counters (issue #3, "Done when").
/// </summary>
public sealed class RunSchedulingTests
{
    [Fact]
    public async Task Sequential_runs_the_steps_one_at_a_time()
    {
        using var dir = new TempDir();
        var log = dir.File("log");
        var file = dir.Write("wide.yaml", Workflows.Of(
            "Wide",
            $"env:\n  LOG: {Workflows.Quote(log)}",
            Workflows.Sh("a", Workflows.Timed()),
            Workflows.Sh("b", Workflows.Timed()),
            Workflows.Sh("c", Workflows.Timed()),
            Workflows.Sh("d", Workflows.Timed(), ["a"])));

        var run = await CliRunner.RunAsync("run", file, "--sequential");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var intervals = StepIntervals.Read(log);
        Assert.Equal(4, intervals.Count);
        Assert.Equal(1, StepIntervals.MaxOverlap(intervals));

        // Dependency order, ties by file order: a, b, c, then d.
        Assert.Equal(["a", "b", "c", "d"], intervals.Select(i => i.Id));
    }

    [Fact]
    public async Task A_second_run_starts_the_step_that_took_longest_last_time_first()
    {
        using var dir = new TempDir();
        var log = dir.File("log");
        var state = dir.File("state");
        var file = dir.Write("uneven.yaml", Workflows.Of(
            "Uneven",
            $"env:\n  LOG: {Workflows.Quote(log)}\nparallel:\n  enabled: true\n  defaultMaxConcurrency: 1",
            Workflows.Sh("quick", Workflows.Timed("true")),
            Workflows.Sh("quick-2", Workflows.Timed("true"), ["quick"]),
            Workflows.Sh("slow", Workflows.Timed("sleep 0.4"))));

        // Child processes: the durations a run records are its own, not those of a test host busy with other tests.
        var (first, firstOrder) = await RunAlone(file, state, log);
        var (second, secondOrder) = await RunAlone(file, state, log);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);

        // Without history the longest chain counts steps (quick, quick-2); with it, time: slow took far longer.
        Assert.Equal(["quick", "quick-2", "slow"], firstOrder);
        Assert.Equal(["slow", "quick", "quick-2"], secondOrder);
    }

    private static async Task<((int ExitCode, string Output) Run, List<string> Order)> RunAlone(string file, string state, string log)
    {
        File.Delete(log);
        using var process = FlowlineProcess.Start("run", file, "--state-dir", state);
        var exitCode = await process.WaitForExitAsync();
        return ((exitCode, process.Stderr + process.Stdout), StepIntervals.Read(log).Select(i => i.Id).ToList());
    }

    [Fact]
    public async Task Max_concurrency_2_is_never_exceeded()
    {
        using var dir = new TempDir();
        var log = dir.File("log");
        var steps = Enumerable.Range(1, 6).Select(i => Workflows.Sh($"s{i}", Workflows.Timed())).ToArray();
        var file = dir.Write("wide.yaml", Workflows.Of("Wide", $"env:\n  LOG: {Workflows.Quote(log)}", steps));

        var run = await CliRunner.RunAsync("run", file, "--max-concurrency", "2");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var intervals = StepIntervals.Read(log);
        Assert.Equal(6, intervals.Count);
        Assert.InRange(StepIntervals.MaxOverlap(intervals), 1, 2);
    }

    [Fact]
    public async Task Continue_on_error_runs_every_step_and_still_exits_1()
    {
        using var dir = new TempDir();
        var file = dir.Write("chain.yaml", Workflows.Of(
            "Chain",
            "",
            Workflows.Sh("a", "exit 1"),
            Workflows.Sh("b", $"touch {dir.File("b")}", ["a"]),
            Workflows.Sh("c", $"touch {dir.File("c")}", ["b"])));

        var run = await CliRunner.RunAsync("run", file, "--continue-on-error");

        Assert.Equal(1, run.ExitCode);
        Assert.True(File.Exists(dir.File("b")));
        Assert.True(File.Exists(dir.File("c")));
    }

    [Fact]
    public async Task A_step_with_continueOnError_may_fail_and_the_run_exits_0()
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var file = dir.Write("tolerant.yaml", Workflows.Of(
            "Tolerant",
            "",
            Workflows.Sh("optional", "exit 1", extra: "continueOnError: true"),
            Workflows.Sh("after", $"touch {dir.File("after")}", ["optional"])));

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.True(File.Exists(dir.File("after")));
        Assert.Contains("\"status\": \"failed\"", File.ReadAllText(report), StringComparison.Ordinal);
    }
}
