using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary><c>flowline run</c> recording into <c>.flowline/</c>, and the history commands reading it (issue #6), in-process.</summary>
public sealed class HistoryCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string StateDir => _dir.File("state");

    private string Markers => _dir.File("markers");

    public void Dispose() => _dir.Dispose();

    /// <summary>a → b → c; each step appends its id to the marker file and prints a line.</summary>
    private string Chain(string cScript = "true", string[]? cDependsOn = null) => _dir.Write("chain.yaml", Workflows.Of(
        "chain",
        "",
        Workflows.Sh("a", $"echo a >> {Markers}; echo hello from a"),
        Workflows.Sh("b", $"echo b >> {Markers}; echo hello from b", ["a"]),
        Workflows.Sh("c", $"echo c >> {Markers}; {cScript}", cDependsOn ?? ["b"])));

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    private string[] MarkerLines() => File.Exists(Markers) ? File.ReadAllLines(Markers) : [];

    private async Task<JsonElement[]> RunsJsonAsync()
    {
        var runs = await Flowline("runs", "--json");
        Assert.True(runs.ExitCode == 0, runs.Stderr);
        return [.. JsonDocument.Parse(runs.Stdout).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task Run_prints_its_id_and_runs_lists_the_runs_newest_first_as_json()
    {
        var file = Chain();
        var first = await Flowline("run", file);
        var second = await Flowline("run", file);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var runs = await RunsJsonAsync();
        Assert.Equal([second.RunId, first.RunId], runs.Select(r => r.GetProperty("id").GetString()));
        foreach (var run in runs)
        {
            Assert.Equal("chain", run.GetProperty("workflow").GetString());
            Assert.Equal("completed", run.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.String, run.GetProperty("startedAt").ValueKind);
            Assert.Equal(JsonValueKind.String, run.GetProperty("finishedAt").ValueKind);
        }
    }

    [Fact]
    public async Task Runs_prints_a_table_filtered_by_status_and_limited()
    {
        await Flowline("run", Chain());
        await Flowline("run", Chain(cScript: "exit 3"));

        await Flowline("run", _dir.Write("other.yaml", Workflows.Of("other", "", Workflows.Sh("x", "true"))));

        var failed = await Flowline("runs", "--status", "failed");
        var other = await Flowline("runs", "--workflow", "other", "--json");
        var one = await Flowline("runs", "--limit", "1", "--json");

        Assert.Equal(0, failed.ExitCode);
        var lines = failed.Stdout.Trim().Split('\n');
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Contains("failed", lines[1], StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse(one.Stdout).RootElement.EnumerateArray());
        Assert.Equal("other", Assert.Single(JsonDocument.Parse(other.Stdout).RootElement.EnumerateArray()).GetProperty("workflow").GetString());
    }

    [Fact]
    public async Task Show_prints_the_summary_of_a_past_run_and_with_json_the_detailed_report()
    {
        var run = await Flowline("run", Chain(cScript: "exit 3"));
        var id = run.RunId;

        var summary = await Flowline("show", id);
        var json = await Flowline("show", id, "--json");

        Assert.Equal(0, summary.ExitCode);
        Assert.Contains($"Run: {id} (failed)", summary.Stdout, StringComparison.Ordinal);
        Assert.Contains("Workflow: chain 1.0.0", summary.Stdout, StringComparison.Ordinal);
        Assert.Contains("Steps: 3 total, 2 completed, 1 failed", summary.Stdout, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(json.Stdout);
        RunReportTests.AssertShape(report.RootElement, "failed", ["a", "b", "c"]);
        Assert.Equal("hello from a", report.RootElement.GetProperty("stepResults").GetProperty("a").GetProperty("output").GetString());
    }

    [Fact]
    public async Task Logs_prints_one_steps_output_or_the_whole_run_prefixed_by_step()
    {
        var id = (await Flowline("run", Chain())).RunId;

        var step = await Flowline("logs", id, "b");
        var all = await Flowline("logs", id);

        Assert.Equal(0, step.ExitCode);
        Assert.Equal("hello from b", step.Stdout.Trim());
        Assert.Contains("a | hello from a", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("b | hello from b", all.Stdout, StringComparison.Ordinal);
        Assert.True(all.Stdout.IndexOf("a | ", StringComparison.Ordinal) < all.Stdout.IndexOf("b | ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_follow_of_a_finished_run_prints_its_lines_and_returns()
    {
        var id = (await Flowline("run", Chain())).RunId;

        var follow = await Flowline("logs", id, "a", "--follow");

        Assert.Equal(0, follow.ExitCode);
        Assert.Equal("hello from a", follow.Stdout.Trim());
    }

    [Fact]
    public async Task Logs_of_a_step_the_run_does_not_have_is_a_usage_error()
    {
        var id = (await Flowline("run", Chain())).RunId;

        var logs = await Flowline("logs", id, "nope");

        Assert.Equal(2, logs.ExitCode);
        Assert.Contains("has no step 'nope'", logs.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unique_prefix_of_a_run_id_is_enough_and_an_unknown_one_is_a_usage_error()
    {
        var id = (await Flowline("run", Chain())).RunId;

        var byPrefix = await Flowline("show", id[..20]);
        var unknown = await Flowline("show", "ZZZZ");

        Assert.Equal(0, byPrefix.ExitCode);
        Assert.Contains(id, byPrefix.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("flowline runs", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_keeps_the_newest_runs_and_deletes_the_others_with_their_logs()
    {
        var file = Chain();
        var oldest = (await Flowline("run", file)).RunId;
        await Flowline("run", file);
        var newest = (await Flowline("run", file)).RunId;

        var prune = await Flowline("runs", "prune", "--keep", "1");

        Assert.Equal(0, prune.ExitCode);
        Assert.Contains("pruned 2 runs", prune.Stdout, StringComparison.Ordinal);
        Assert.Equal([newest], (await RunsJsonAsync()).Select(r => r.GetProperty("id").GetString()));
        Assert.False(Directory.Exists(Path.Combine(StateDir, "runs", oldest)));
    }

    [Fact]
    public async Task Prune_older_than_thirty_days_keeps_todays_runs()
    {
        await Flowline("run", Chain());

        var prune = await Flowline("runs", "prune", "--older-than", "30d");

        Assert.Equal(0, prune.ExitCode);
        Assert.Contains("pruned 0 runs", prune.Stdout, StringComparison.Ordinal);
        Assert.Single(await RunsJsonAsync());
    }

    [Theory]
    [InlineData("runs", "prune")]
    [InlineData("runs", "--status", "sleeping")]
    [InlineData("runs", "prune", "--older-than", "soon")]
    public async Task History_commands_given_wrong_arguments_exit_2(params string[] args)
    {
        var run = await Flowline(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_keeps_the_completed_steps_and_runs_the_failed_one_again()
    {
        var id = (await Flowline("run", Chain(cScript: "exit 3"))).RunId;
        Chain(cScript: "true");

        var resume = await Flowline("resume", id);

        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Equal(["a", "b", "c", "c"], MarkerLines());
        var runs = await RunsJsonAsync();
        Assert.Equal("completed", runs[0].GetProperty("status").GetString());
        Assert.Equal(id, runs[0].GetProperty("resumedFrom").GetString());
    }

    [Fact]
    public async Task Resume_restores_the_outputs_of_kept_steps_for_the_templates_of_the_steps_that_run()
    {
        var flag = _dir.File("flag");
        var file = _dir.Write("outputs.yaml", Workflows.Of(
            "outputs",
            "",
            Workflows.Sh("a", $"echo a >> {Markers}; echo hello; echo 'summary=3 passed' >> \"$FLOWLINE_OUTPUT\""),
            Workflows.Sh("b", $"test -f {flag} || exit 1; echo '{{{{ steps.a.output }}}} / {{{{ steps.a.output.summary }}}}' >> {Markers}", ["a"])));
        var id = (await Flowline("run", file)).RunId;
        File.WriteAllText(flag, "");

        var resume = await Flowline("resume", id);

        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Equal(["a", "hello / 3 passed"], MarkerLines());
    }

    [Fact]
    public async Task Resume_refuses_a_file_whose_dependencies_changed_with_the_diff_and_force_resumes_it()
    {
        var id = (await Flowline("run", Chain(cScript: "exit 3"))).RunId;
        Chain(cScript: "true", cDependsOn: ["a"]);

        var refused = await Flowline("resume", id);
        var forced = await Flowline("resume", id, "--force");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("~ c  dependsOn changed: [b] -> [a]", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Stdout + forced.Stderr);
        Assert.Equal(["a", "b", "c", "c"], MarkerLines());
    }

    [Fact]
    public async Task Resume_refuses_a_run_that_is_still_heartbeating()
    {
        var file = Chain();
        await using (var store = await State.SqliteRunStore.OpenAsync(new State.StateDirectory(StateDir)))
        {
            await store.RunStartedAsync(
                new State.RunRecord { Id = "01JLIVE0000000000000000000", WorkflowName = "chain", WorkflowVersion = "1.0.0", WorkflowPath = file, StartedAt = TimeProvider.System.GetUtcNow() },
                CancellationToken.None);
        }

        var refused = await Flowline("resume", "01JLIVE");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is still running", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(MarkerLines());
    }

    [Fact]
    public async Task Resume_refuses_a_file_that_lost_a_step_with_a_result()
    {
        var id = (await Flowline("run", Chain(cScript: "exit 3"))).RunId;
        _dir.Write("chain.yaml", Workflows.Of("chain", "", Workflows.Sh("a", "true"), Workflows.Sh("c", "true", ["a"])));

        var refused = await Flowline("resume", id);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("- b  removed or renamed, but it completed in the run", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_from_a_step_runs_it_and_everything_downstream_again()
    {
        var id = (await Flowline("run", Chain())).RunId;

        var resume = await Flowline("resume", id, "--from", "b");

        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        Assert.Equal(["a", "b", "c", "b", "c"], MarkerLines());
    }

    [Fact]
    public async Task A_corrupted_database_is_a_clear_error_and_the_workflow_still_runs_with_no_state()
    {
        Directory.CreateDirectory(StateDir);
        File.WriteAllText(Path.Combine(StateDir, "flowline.db"), "this is not a database, it is a text file that is long enough to have a header");
        var file = Chain();

        var refused = await Flowline("run", file);
        var stateless = await CliRunner.RunAsync("run", file, "--no-state", "--state-dir", StateDir);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("flowline.db", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--no-state", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, stateless.ExitCode);
        Assert.DoesNotContain("run 0", stateless.Stderr, StringComparison.Ordinal);
        Assert.Equal(["a", "b", "c"], MarkerLines());
    }
}
