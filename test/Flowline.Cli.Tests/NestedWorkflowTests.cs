using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// Workflows inside workflows through the built CLI (issue 14 §2, docs/workflows-in-workflows.md): <c>type: workflow</c>
/// steps whose children run in the same run, with real processes, state folders and signals. What ran is read from
/// marker files the steps write.
/// </summary>
public sealed class NestedWorkflowTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Leftovers _leftovers = new();

    public void Dispose()
    {
        _leftovers.Dispose();
        _dir.Dispose();
    }

    private string StateDir => _dir.File("state");

    private string Markers => _dir.File("markers");

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    private FlowlineProcess Start(params string[] args) =>
        FlowlineProcess.StartWith(FlowlineProcess.ShortHeartbeat, _dir.Path, [.. args, "--state-dir", StateDir]);

    private static string RunId(string stderr) =>
        stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];

    /// <summary>A workflow step running <paramref name="path"/>; <paramref name="extra"/> are further step keys, one per line.</summary>
    private static string Child(string id, string path, string variables = "", string[]? dependsOn = null, string extra = "", string config = "")
    {
        var text = $"""
              - id: {id}
                name: {id}
                type: workflow
                config:
                  path: {path}
            {(variables.Length > 0 ? $"      variables: {variables}\n" : "")}{(config.Length > 0 ? $"      {config}\n" : "")}
            """;
        if (dependsOn is { Length: > 0 })
        {
            text += $"    dependsOn: [{string.Join(", ", dependsOn)}]\n";
        }

        foreach (var line in extra.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text += "    " + line.Trim() + "\n";
        }

        return text;
    }

    /// <summary>deploy.yaml: push (writes url) → verify; declares environment and version, returns url.</summary>
    private void DeployChild(string pushScript = "")
    {
        _dir.Write("deploy.yaml", Workflows.Of(
            "deploy",
            """
            variables:
              environment: { type: string, required: true }
              version: { type: string, default: "0" }
            outputs:
              url: "https://{{ variables.environment }}.example/{{ steps.push.output.tag }}"
            """,
            Workflows.Sh("push", $"echo \"push {{{{ variables.environment }}}} {{{{ variables.version }}}}\" >> {Markers}; {pushScript} echo \"tag=v{{{{ variables.version }}}}\" >> \"$FLOWLINE_OUTPUT\""),
            Workflows.Sh("verify", $"echo \"verify {{{{ variables.environment }}}}\" >> {Markers}", ["push"])));
    }

    [Fact]
    public async Task The_same_child_runs_twice_with_its_own_variables_and_its_outputs_feed_a_downstream_template()
    {
        DeployChild();
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Workflows.Sh("build", "echo version=1.2 >> \"$FLOWLINE_OUTPUT\""),
            Child("staging", "./deploy.yaml", "{ environment: staging, version: \"{{ steps.build.output.version }}\" }"),
            Child("production", "./deploy.yaml", "{ environment: production, version: \"{{ steps.build.output.version }}\" }", ["staging"]),
            Workflows.Sh("announce", $"echo \"{{{{ steps.staging.output.url }}}} {{{{ steps.production.output.url }}}}\" >> {Markers}", ["production"])));
        var report = _dir.File("report.json");

        var run = await Flowline("run", main, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(
            ["push staging 1.2", "verify staging", "push production 1.2", "verify production", "https://staging.example/v1.2 https://production.example/v1.2"],
            File.ReadAllLines(Markers));
        var steps = ReportJson.StepResults(report);
        Assert.Equal(
            ["build", "staging", "staging/push", "staging/verify", "production", "production/push", "production/verify", "announce"],
            steps.EnumerateObject().Select(static p => p.Name).ToArray());
        Assert.Equal("https://production.example/v1.2", steps.GetProperty("production").GetProperty("outputs").GetProperty("url").GetString());
        Assert.Contains("✓ staging/push completed", run.Stdout, StringComparison.Ordinal);

        // The child's steps are in the history and have logs of their own, under their qualified ids.
        var id = RunId(run.Stderr);
        var show = await Flowline("show", id);
        Assert.Contains("production/verify", show.Stdout, StringComparison.Ordinal);
        var logs = await Flowline("logs", id, "staging/push");
        Assert.True(logs.ExitCode == 0, logs.Stdout + logs.Stderr);
    }

    [Fact]
    public async Task A_failing_child_step_fails_the_workflow_step_and_the_error_names_it()
    {
        DeployChild(pushScript: "echo broken >&2; exit 3;");
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Child("staging", "./deploy.yaml", "{ environment: staging }"),
            Workflows.Sh("after", $"echo after >> {Markers}", ["staging"])));
        var report = _dir.File("report.json");

        var run = await Flowline("run", main, "--report-json", report);

        Assert.Equal(1, run.ExitCode);
        var steps = ReportJson.StepResults(report);
        Assert.Equal("failed", steps.GetProperty("staging/push").GetProperty("status").GetString());
        Assert.Equal("skipped", steps.GetProperty("staging/verify").GetProperty("status").GetString());
        Assert.Equal("failed", steps.GetProperty("staging").GetProperty("status").GetString());
        Assert.Contains("child step 'staging/push' failed", steps.GetProperty("staging").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("skipped", steps.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal(["push staging 0"], File.ReadAllLines(Markers));
    }

    [Fact]
    public async Task ContinueOnError_and_a_false_condition_apply_to_the_workflow_step_as_a_whole()
    {
        DeployChild(pushScript: "exit 3;");
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Child("tolerated", "./deploy.yaml", "{ environment: staging }", extra: "continueOnError: true"),
            Child("never", "./deploy.yaml", "{ environment: production }", extra: "condition: \"false\""),
            Workflows.Sh("after", $"echo after >> {Markers}", ["tolerated", "never"])));
        var report = _dir.File("report.json");

        var run = await Flowline("run", main, "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["push staging 0", "after"], File.ReadAllLines(Markers));
        var steps = ReportJson.StepResults(report);
        Assert.Equal("failed", steps.GetProperty("tolerated").GetProperty("status").GetString());
        Assert.Equal("skipped", steps.GetProperty("never").GetProperty("status").GetString());
        Assert.False(steps.TryGetProperty("never/push", out _));
    }

    [Fact]
    public async Task Retry_runs_the_whole_child_again()
    {
        var flag = _dir.File("failed-once");
        DeployChild(pushScript: $"if [ ! -f {flag} ]; then touch {flag}; exit 1; fi;");
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Child("staging", "./deploy.yaml", "{ environment: staging }", extra: "retry: { attempts: 2, delay: 10ms }")));

        var run = await Flowline("run", main);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["push staging 0", "push staging 0", "verify staging"], File.ReadAllLines(Markers));
    }

    [Fact]
    public async Task With_one_slot_the_children_of_two_parallel_workflow_steps_run_one_at_a_time_and_finish()
    {
        var log = _dir.File("intervals");
        _dir.Write("child.yaml", Workflows.Of(
            "child",
            "variables:\n  name: { type: string, required: true }",
            Workflows.Sh("a", $"echo \"{{{{ variables.name }}}}-a start $(date +%s%N)\" >> {log}; sleep 0.2; echo \"{{{{ variables.name }}}}-a end $(date +%s%N)\" >> {log}"),
            Workflows.Sh("b", $"echo \"{{{{ variables.name }}}}-b start $(date +%s%N)\" >> {log}; sleep 0.2; echo \"{{{{ variables.name }}}}-b end $(date +%s%N)\" >> {log}")));
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Child("one", "./child.yaml", "{ name: one }"),
            Child("two", "./child.yaml", "{ name: two }"),
            Workflows.Sh("three", $"echo \"three start $(date +%s%N)\" >> {log}; echo \"three end $(date +%s%N)\" >> {log}")));

        var run = await Flowline("run", main, "--max-concurrency", "1");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var intervals = StepIntervals.Read(log);
        Assert.Equal(5, intervals.Count);
        Assert.Equal(1, StepIntervals.MaxOverlap(intervals));
    }

    [Fact]
    public async Task A_timeout_on_the_workflow_step_cancels_the_child_and_kills_its_processes()
    {
        _dir.Write("slow.yaml", Workflows.Of(
            "slow",
            "",
            Workflows.Sh("wait", $"echo $$ > {_dir.File("child.pid")}; touch {_dir.File("ready")}; while :; do sleep 1; done")));
        var main = _dir.Write("main.yaml", Workflows.Of("main", "", Child("slow", "./slow.yaml", config: "timeout: 2s")));
        var report = _dir.File("report.json");

        using var cli = Start("run", main, "--report-json", report);
        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 1, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        var pid = Processes.ReadPid(_dir.File("child.pid"));
        _leftovers.Add(pid);
        Assert.True(await Processes.WaitUntilGoneAsync(pid), $"child step process {pid} survived the timeout");
        var steps = ReportJson.StepResults(report);
        Assert.Equal("failed", steps.GetProperty("slow").GetProperty("status").GetString());
        Assert.Contains("timed out", steps.GetProperty("slow").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("cancelled", steps.GetProperty("slow/wait").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ctrl_c_cancels_the_run_and_kills_the_processes_of_the_child()
    {
        _dir.Write("slow.yaml", Workflows.Of(
            "slow",
            "",
            Workflows.Sh("wait", $"sleep 1000 & echo $! > {_dir.File("grandchild.pid")}; echo $$ > {_dir.File("child.pid")}; touch {_dir.File("ready")}; while :; do sleep 1; done")));
        var main = _dir.Write("main.yaml", Workflows.Of("main", "", Child("slow", "./slow.yaml")));

        using var cli = Start("run", main);
        await Processes.WaitForFileAsync(_dir.File("ready"), cli);
        var child = Processes.ReadPid(_dir.File("child.pid"));
        var grandchild = Processes.ReadPid(_dir.File("grandchild.pid"));
        _leftovers.Add(child, grandchild);
        cli.Signal(Processes.SigInt);
        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 130, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"child step process {child} survived");
        Assert.True(await Processes.WaitUntilGoneAsync(grandchild), $"its background process {grandchild} survived");
    }

    [Fact]
    public async Task Ctrl_c_ends_a_child_that_waits_for_the_one_slot_a_parent_step_holds()
    {
        _dir.Write("child.yaml", Workflows.Of("child", "", Workflows.Sh("later", $"echo later >> {Markers}")));
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Workflows.Sh("hold", $"echo $$ > {_dir.File("hold.pid")}; touch {_dir.File("ready")}; while :; do sleep 1; done"),
            Workflows.Sh("after-hold", "true", ["hold"]),   // the longer path: hold takes the slot first, then the child waits for it
            Child("inner", "./child.yaml")));

        using var cli = Start("run", main, "--max-concurrency", "1");
        await Processes.WaitForFileAsync(_dir.File("ready"), cli);
        var hold = Processes.ReadPid(_dir.File("hold.pid"));
        _leftovers.Add(hold);
        cli.Signal(Processes.SigInt);
        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 130, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        Assert.True(await Processes.WaitUntilGoneAsync(hold), $"step process {hold} survived");
        Assert.False(File.Exists(Markers));
    }

    [Fact]
    public async Task A_run_killed_inside_a_child_resumes_with_the_parent_and_completed_child_steps_do_not_run_again()
    {
        var gate = _dir.File("gate");
        _dir.Write("child.yaml", Workflows.Of(
            "child",
            "",
            Workflows.Sh("first", $"echo child-first >> {Markers}"),
            Workflows.Sh("held", $"echo child-held >> {Markers}; echo $$ > {_dir.File("held.pid")}; touch {_dir.File("ready")}; while [ ! -f {gate} ]; do sleep 0.05; done", ["first"]),
            Workflows.Sh("last", $"echo child-last >> {Markers}", ["held"])));
        var main = _dir.Write("main.yaml", Workflows.Of(
            "main",
            "",
            Workflows.Sh("before", $"echo before >> {Markers}"),
            Child("inner", "./child.yaml", dependsOn: ["before"]),
            Workflows.Sh("after", $"echo after >> {Markers}", ["inner"])));

        string id;
        using (var cli = Start("run", main))
        {
            await Processes.WaitForFileAsync(_dir.File("ready"), cli);
            _leftovers.Add(Processes.ReadPid(_dir.File("held.pid")));
            for (var i = 0; i < 300 && !cli.Stderr.Contains("run ", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
            }

            id = RunId(cli.Stderr);
            cli.Signal(Processes.SigKill);
            await cli.WaitForExitAsync();
        }

        Processes.KillLeftovers(_leftovers.First);
        File.WriteAllText(gate, "");
        CliRun resumed = new(-1, "", "");
        for (var i = 0; i < 60; i++)
        {
            // The killed run is resumable once a reader sees it interrupted (its heartbeat missed, 1 s here).
            using var resume = Start("resume", id);
            var exit = await resume.WaitForExitAsync();
            resumed = new CliRun(exit, resume.Stdout, resume.Stderr);
            if (exit == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Equal(["before", "child-first", "child-held", "child-held", "child-last", "after"], File.ReadAllLines(Markers));
        Assert.Contains("inner/first", resumed.Stdout + resumed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parent_secret_passed_as_a_variable_is_masked_in_the_child_and_never_inherited_by_its_processes()
    {
        _dir.Write("child.yaml", Workflows.Of(
            "child",
            "variables:\n  token: { type: string }",
            Workflows.Sh("show", $"echo \"given {{{{ variables.token }}}} env ${{DEPLOY_TOKEN:-unset}}\" >> {Markers}; echo \"given {{{{ variables.token }}}}\"")));
        var main = _dir.Write("main.yaml", Workflows.Of("main", "secrets: [DEPLOY_TOKEN]", Child("inner", "./child.yaml", "{ token: \"{{ secrets.DEPLOY_TOKEN }}\" }")));
        var environment = new Dictionary<string, string>(FlowlineProcess.ShortHeartbeat, StringComparer.Ordinal) { ["DEPLOY_TOKEN"] = "s3cr3t-value" };

        using var cli = FlowlineProcess.StartWith(environment, _dir.Path, "run", main, "--state-dir", StateDir);
        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 0, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        Assert.Equal(["given s3cr3t-value env unset"], File.ReadAllLines(Markers));
        Assert.Contains("inner/show | given ***", cli.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", cli.Stdout + cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_a_cycle_of_files_with_its_chain()
    {
        _dir.Write("b.yaml", Workflows.Of("b", "", Child("use-a", "./a.yaml")));
        var a = _dir.Write("a.yaml", Workflows.Of("a", "", Child("use-b", "./b.yaml")));

        var run = await CliRunner.RunAsync("validate", a);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error FL1172", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"a\.yaml → \S*b\.yaml → \S*a\.yaml", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Validate_locates_an_error_in_the_child_file_and_names_the_file_that_included_it()
    {
        _dir.Write("child.yaml", Workflows.Of("child", "variables:\n  environment: { type: string }", Workflows.Sh("s", "echo {{ steps.nothere.output }}")));
        var main = _dir.Write("main.yaml", Workflows.Of("main", "", Child("inner", "./child.yaml", "{ enviroment: x }"), Child("gone", "./missing.yaml")));

        var run = await CliRunner.RunAsync("validate", main);
        var text = run.Stdout + run.Stderr;

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"child\.yaml:\d+:\d+: error FL3011: .*\(included from .*main\.yaml:\d+:\d+\)", text);
        Assert.Contains("error FL1173", text, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'environment'?", text, StringComparison.Ordinal);
        Assert.Contains("error FL1171", text, StringComparison.Ordinal);
        Assert.Contains(_dir.File("missing.yaml"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_expand_draws_the_child_steps_inside_their_workflow_step()
    {
        DeployChild();
        var main = _dir.Write("main.yaml", Workflows.Of("main", "", Child("staging", "./deploy.yaml", "{ environment: staging }")));

        var plain = await CliRunner.RunAsync("graph", main, "--format", "text");
        var expanded = await CliRunner.RunAsync("graph", main, "--format", "text", "--expand");

        Assert.DoesNotContain("staging/push", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("staging/verify <- staging/push", expanded.Stdout, StringComparison.Ordinal);
    }
}
