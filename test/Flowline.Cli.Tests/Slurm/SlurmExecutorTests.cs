using System.Text.Json;

namespace Flowline.Cli.Tests.Slurm;

/// <summary>
/// The Slurm executor through the built CLI against the real single-node cluster (issue 12, "Tests and CI"): what
/// reaches the job, exit codes, live output, Flowline's own timeout, cancel while pending and while running, a
/// license-backed pool, and kill -9 then resume without a second submission. Slurm's commands are reached through
/// shims in <c>FLOWLINE_SLURM_BIN</c> that count each call before running the real one.
/// </summary>
[Collection(SlurmCollection.Name)]
[Trait(SlurmCollection.Trait, SlurmCollection.Name)]
public sealed class SlurmExecutorTests : IDisposable
{
    private const string Header = """
        executor: slurm
        slurm:
          pollInterval: 100ms
          queueStatInterval: 1s
        """;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(150);

    private readonly TempDir _dir = new();
    private readonly List<FlowlineProcess> _started = [];

    public SlurmExecutorTests()
    {
        Directory.CreateDirectory(Shims);
        foreach (var command in new[] { "sbatch", "squeue", "scancel", "scontrol" })
        {
            var real = Which(command);
            var shim = Path.Combine(Shims, command);
            File.WriteAllText(shim, $"#!/bin/sh\necho \"$$\" >> '{Path.Combine(Shims, command + ".calls")}'\nexec '{real}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    private string Shims => _dir.File("shims");

    private string StateDir => _dir.File("state");

    public void Dispose()
    {
        foreach (var cli in _started)
        {
            if (!cli.HasExited)
            {
                Processes.KillLeftovers(cli.Id);
            }

            cli.Dispose();
        }

        _dir.Dispose();
    }

    [SlurmFact]
    public async Task Arguments_environment_and_working_directory_arrive_intact_and_exit_code_three_fails_the_step()
    {
        Directory.CreateDirectory(_dir.File("work dir"));
        var odd = "a,b 'single' \"double\" $HOME\nsecond line";
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-intact",
            Header + "\nparallel: { enabled: false }",
            Step("args", ["-c", "printf '[%s]' \"$@\" > args.txt; printf '%s' \"$ODD\" > env.txt; pwd > pwd.txt", "x", "two words", "", "*.yaml", "q\"uote'"],
                config: $"workingDirectory: \"work dir\"\nenv: {{ ODD: {Workflows.Quote(odd)} }}"),
            Workflows.Sh("three", "echo about to fail >&2; exit 3", ["args"])));

        var (exit, stdout, stderr, report) = await RunAsync(file);

        Assert.Equal(1, exit);
        Assert.Equal("[two words][][*.yaml][q\"uote']", File.ReadAllText(_dir.File("work dir/args.txt")));
        Assert.Equal(odd, File.ReadAllText(_dir.File("work dir/env.txt")));
        Assert.Equal(_dir.File("work dir"), File.ReadAllText(_dir.File("work dir/pwd.txt")).Trim());
        var three = report.GetProperty("stepResults").GetProperty("three");
        Assert.Equal("failed", three.GetProperty("status").GetString());
        Assert.Contains("exited with code 3", three.GetProperty("error").GetString());
        Assert.Contains("about to fail", three.GetProperty("error").GetString());
        var metadata = report.GetProperty("stepResults").GetProperty("args").GetProperty("metadata");
        Assert.Matches("^[0-9]+$", metadata.GetProperty("slurm.jobId").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("slurm.node").GetString()));
        Assert.True(metadata.GetProperty("slurm.queueWait").GetDouble() >= 0, stdout + stderr);
        Assert.Empty(Directory.GetFiles(StateDir, "env", SearchOption.AllDirectories));
    }

    [SlurmFact]
    public async Task Output_lines_show_while_the_job_runs()
    {
        var gate = _dir.File("gate");
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-live",
            Header,
            Workflows.Sh("talk", $"echo first line; while [ ! -f '{gate}' ]; do sleep 0.1; done; echo second line")));

        var cli = Start("run", file, "--state-dir", StateDir);
        await WaitUntilAsync(() => cli.Stdout.Contains("first line", StringComparison.Ordinal), cli);
        Assert.DoesNotContain("second line", cli.Stdout);
        File.WriteAllText(gate, "");

        Assert.Equal(0, await cli.WaitForExitAsync(Bound));
        Assert.Contains("second line", cli.Stdout);
    }

    [SlurmFact]
    public async Task A_two_second_timeout_is_flowlines_not_slurms_minute()
    {
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-timeout",
            Header,
            Step("slow", ["-c", "echo $$ > slow.pid; exec sleep 300"], config: "timeout: 2s")));
        var started = DateTimeOffset.UtcNow;

        var (exit, _, _, report) = await RunAsync(file);

        Assert.Equal(1, exit);
        var slow = report.GetProperty("stepResults").GetProperty("slow");
        Assert.Contains("timed out after 2s", slow.GetProperty("error").GetString());
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(50), "Slurm's own one-minute limit would take over a minute");
        Assert.True(await Processes.WaitUntilGoneAsync(Processes.ReadPid(_dir.File("slow.pid"))));
    }

    [SlurmFact]
    public async Task Ctrl_c_cancels_a_pending_job()
    {
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-pending",
            Header,
            Step("later", ["-c", "echo ran > ran.txt"], step: "slurm:\n  extraArgs: [\"--begin=now+1hour\"]")));

        var cli = Start("run", file, "--state-dir", StateDir);
        await WaitUntilAsync(() => cli.Stdout.Contains("pending", StringComparison.Ordinal), cli);
        var jobId = JobIdIn(cli.Stdout);
        cli.Signal(2);

        Assert.Equal(130, await cli.WaitForExitAsync(Bound));
        Assert.Equal("CANCELLED", (await SlurmCluster.WaitForEndAsync(jobId))["JobState"]);
        Assert.False(File.Exists(_dir.File("ran.txt")));
    }

    [SlurmFact]
    public async Task Ctrl_c_cancels_a_running_job_and_a_grandchild_that_ignores_term()
    {
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-running",
            Header,
            Workflows.Sh("busy", "sh -c 'trap \"\" TERM; echo $$ > grandchild.pid; while :; do sleep 1; done' & echo started; wait")));

        var cli = Start("run", file, "--state-dir", StateDir);
        await WaitUntilAsync(() => File.Exists(_dir.File("grandchild.pid")) && cli.Stdout.Contains("started", StringComparison.Ordinal), cli);
        var jobId = JobIdIn(cli.Stdout);
        var grandchild = Processes.ReadPid(_dir.File("grandchild.pid"));
        cli.Signal(2);

        Assert.Equal(130, await cli.WaitForExitAsync(Bound));
        Assert.Equal("CANCELLED", (await SlurmCluster.WaitForEndAsync(jobId))["JobState"]);
        Assert.True(await Processes.WaitUntilGoneAsync(grandchild), "the TERM-ignoring grandchild outlived the cancel");
    }

    [SlurmFact]
    public async Task A_license_backed_pool_serialises_two_steps()
    {
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-license",
            Header + "\nparallel:\n  resources:\n    db: { size: 1, slurmLicense: db }",
            Step("one", ["-c", Workflows.Timed("sleep 1")], config: "env: { LOG: log.txt }", step: "parallel: { resource: db }"),
            Step("two", ["-c", Workflows.Timed("sleep 1")], config: "env: { LOG: log.txt }", step: "parallel: { resource: db }")));

        var (exit, stdout, stderr, _) = await RunAsync(file);

        Assert.True(exit == 0, stdout + stderr);
        var intervals = StepIntervals.Read(_dir.File("log.txt"));
        Assert.Equal(2, intervals.Count);
        Assert.Equal(1, StepIntervals.MaxOverlap(intervals));
    }

    [SlurmFact]
    public async Task Kill_9_mid_run_then_resume_reattaches_and_never_submits_a_step_twice()
    {
        var gate = _dir.File("gate");
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-resume",
            Header,
            Workflows.Sh("first", "echo first >> markers.txt"),
            Workflows.Sh("held", $"echo held >> markers.txt; while [ ! -f '{gate}' ]; do sleep 0.1; done; echo held done", ["first"]),
            Workflows.Sh("last", "echo last >> markers.txt", ["held"])));

        var cli = Start("run", file, "--state-dir", StateDir);
        await WaitUntilAsync(() => File.Exists(_dir.File("markers.txt")) && File.ReadAllText(_dir.File("markers.txt")).Contains("held", StringComparison.Ordinal), cli);
        cli.Signal(9);
        await cli.WaitForExitAsync(Bound);
        File.WriteAllText(gate, "");

        var runId = JsonDocument.Parse((await RunToEndAsync("runs", "--json", "--limit", "1", "--state-dir", StateDir)).Stdout).RootElement[0].GetProperty("id").GetString()!;
        var resumed = await RunToEndAsync("resume", runId, "--state-dir", StateDir);

        Assert.True(resumed.Exit == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("re-attached", resumed.Stdout);
        Assert.Equal(["first", "held", "last"], File.ReadAllLines(_dir.File("markers.txt")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Shims, "sbatch.calls")).Length);
    }

    [SlurmFact]
    public async Task Detach_leaves_the_job_running_and_resume_reattaches_to_it()
    {
        var gate = _dir.File("gate");
        var file = _dir.Write("wf.yaml", Workflows.Of(
            "slurm-detach",
            Header,
            Workflows.Sh("long", $"echo started; while [ ! -f '{gate}' ]; do sleep 0.1; done; echo finished")));

        var cli = Start("run", file, "--state-dir", StateDir, "--detach");
        // The job's own line (not the step's "▶ long started"): it is running.
        await WaitUntilAsync(() => cli.Stdout.Split('\n').Any(line => line.TrimEnd().EndsWith("| started", StringComparison.Ordinal)), cli);
        var jobId = JobIdIn(cli.Stdout);
        cli.Signal(2);
        Assert.Equal(130, await cli.WaitForExitAsync(Bound));
        Assert.Contains("left running", cli.Stdout);
        Assert.Equal("RUNNING", (await SlurmCluster.ShowJobAsync(jobId))["JobState"]);

        File.WriteAllText(gate, "");
        var runId = JsonDocument.Parse((await RunToEndAsync("runs", "--json", "--limit", "1", "--state-dir", StateDir)).Stdout).RootElement[0].GetProperty("id").GetString()!;
        var resumed = await RunToEndAsync("resume", runId, "--state-dir", StateDir);

        Assert.True(resumed.Exit == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains($"re-attached to job {jobId}", resumed.Stdout);
        Assert.Contains("finished", resumed.Stdout);
        // The line the job printed before the detach is not shown again: the resumed run reads on from the stored offset.
        Assert.DoesNotContain(resumed.Stdout.Split('\n'), line => line.TrimEnd().EndsWith("| started", StringComparison.Ordinal));
        Assert.Single(File.ReadAllLines(Path.Combine(Shims, "sbatch.calls")));
    }

    public static TheoryData<string> ScriptOnlyExamples()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            if (!text.Contains("type: agent", StringComparison.Ordinal))
            {
                data.Add(Path.GetFileName(path));
            }
        }

        return data;
    }

    [SlurmTheory]
    [MemberData(nameof(ScriptOnlyExamples))]
    public async Task Every_script_only_example_runs_with_executor_slurm(string example)
    {
        var path = Path.Combine(RepoPaths.Root, "examples", example);
        var runLine = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("# run: flowline ", StringComparison.Ordinal));
        string[] args = runLine is null ? ["run", path] : [.. runLine["# run: flowline ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.StartsWith("examples/", StringComparison.Ordinal) ? Path.Combine(RepoPaths.Root, a) : a)];

        var (exit, stdout, stderr) = await RunToEndAsync([.. args, "--executor", "slurm", "--state-dir", StateDir]);

        Assert.True(exit == 0, $"{example} failed on Slurm:\n{stdout}\n{stderr}");
        Assert.True(File.Exists(Path.Combine(Shims, "sbatch.calls")), $"{example} submitted nothing to Slurm");
    }

    /// <summary>A step running <c>/bin/sh ARGS</c>, with more keys under <c>config:</c> and on the step itself (YAML, one level each).</summary>
    private static string Step(string id, string[] args, string config = "", string step = "")
    {
        var text = $"  - id: {id}\n    name: {id}\n    type: script\n    config:\n      command: /bin/sh\n      args: [{string.Join(", ", args.Select(Workflows.Quote))}]\n";
        text += string.Concat(config.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "      " + line + "\n"));
        text += string.Concat(step.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "    " + line + "\n"));
        return text;
    }

    private static string Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{command} is not on PATH");

    private static string JobIdIn(string output)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, "submitted as job ([0-9]+)");
        Assert.True(match.Success, output);
        return match.Groups[1].Value;
    }

    private FlowlineProcess Start(params string[] args)
    {
        var cli = FlowlineProcess.StartWith(new Dictionary<string, string> { ["FLOWLINE_SLURM_BIN"] = Shims }, _dir.Path, args);
        _started.Add(cli);
        return cli;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunToEndAsync(params string[] args)
    {
        var cli = Start(args);
        var exit = await cli.WaitForExitAsync(Bound);
        return (exit, cli.Stdout, cli.Stderr);
    }

    private async Task<(int Exit, string Stdout, string Stderr, JsonElement Report)> RunAsync(string file)
    {
        var report = _dir.File("report.json");
        var (exit, stdout, stderr) = await RunToEndAsync("run", file, "--state-dir", StateDir, "--report-json", report);
        Assert.True(File.Exists(report), stdout + stderr);
        return (exit, stdout, stderr, JsonDocument.Parse(File.ReadAllText(report)).RootElement.Clone());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, FlowlineProcess cli)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            Assert.False(cli.HasExited, $"flowline ended early. stdout:\n{cli.Stdout}\nstderr:\n{cli.Stderr}");
            await Task.Delay(100);
        }

        Assert.True(condition(), $"the condition did not hold within 120 s. stdout:\n{cli.Stdout}\nstderr:\n{cli.Stderr}");
    }
}
