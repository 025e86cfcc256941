namespace Flowline.Cli.Tests;

/// <summary>
/// The whole-run check of <c>flowline run</c> (issue 14, docs/caching.md "Whole-run check"): after a run in which every
/// step was up to date, the next one with nothing changed is recorded from the manifest without loading the workflow;
/// any change it could miss takes the full way. Files are aged past the racy margin instead of waiting it out.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UpToDateRunTests : IDisposable
{
    private const string NoChange = "(nothing changed since run ";

    private readonly TempDir _dir = new();

    private string StateDir => _dir.File("state");

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Flowline(params string[] args) => CliRunner.RunAsync([.. args, "--state-dir", StateDir]);

    private string Flow(string condition = "true", string secrets = "[]", string extraSource = "")
    {
        Directory.CreateDirectory(_dir.File("src/lib"));
        File.WriteAllText(_dir.File("src/app.cs"), "class App {}\n");
        File.WriteAllText(_dir.File("src/lib/util.cs"), "class Util {}\n");
        return _dir.Write("build.yaml", $$$"""
            name: app
            version: 1.0.0
            secrets: {{{secrets}}}
            steps:
              - id: build
                name: Build
                type: script
                cache:
                  sources: ["src/**/*.cs"{{{extraSource}}}]
                  outputs: ["bin/app"]
                config:
                  command: sh
                  args: ["-c", "mkdir -p bin && cat src/app.cs > bin/app && echo built >> builds.log && echo size=$(wc -c < bin/app) >> $FLOWLINE_OUTPUT"]
              - id: ship
                name: Ship
                type: script
                dependsOn: [build]
                condition: "{{{condition}}}"
                cache:
                  key: "{{ steps.build.output.size }} {{ variables.target }}"
                config:
                  command: echo
                  args: ["shipping {{ steps.build.output.size }} bytes to {{ variables.target }}"]
            variables:
              target: { type: string, default: staging }
            """);
    }

    /// <summary>Sets every file's and folder's time under the test folder (the store's aside) back ten minutes.</summary>
    private void Age() => SetTimes(DateTime.UtcNow.AddMinutes(-10));

    private void SetTimes(DateTime old)
    {
        foreach (var entry in new DirectoryInfo(_dir.Path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Where(e => !e.FullName.StartsWith(StateDir, StringComparison.Ordinal)))
        {
            entry.LastWriteTimeUtc = old;
        }

        new DirectoryInfo(_dir.Path).LastWriteTimeUtc = old;
    }

    /// <summary>A first run that builds, then one that is up to date and keeps the manifest; returns the second.</summary>
    private async Task<CliRun> SettleAsync(string flow, params string[] args)
    {
        var first = await Flowline(["run", flow, .. args]);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Age();
        var second = await Flowline(["run", flow, .. args]);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.DoesNotContain(NoChange, second.Stderr, StringComparison.Ordinal);
        Assert.Contains("completed  up to date", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("(ran: ", second.Stdout, StringComparison.Ordinal);
        return second;
    }

    [Fact]
    public async Task With_nothing_changed_the_run_after_an_up_to_date_run_is_recorded_from_its_manifest_and_prints_the_same()
    {
        var flow = Flow();
        var second = await SettleAsync(flow);

        var third = await Flowline("run", flow);
        var quiet = await Flowline("run", flow, "--quiet");

        Assert.True(third.ExitCode == 0, third.Stdout + third.Stderr);
        Assert.Contains($"run {third.RunId} {NoChange}{second.RunId})", third.Stderr, StringComparison.Ordinal);
        Assert.Equal(WithoutDuration(second.Stdout), WithoutDuration(third.Stdout));
        Assert.Equal(0, quiet.ExitCode);
        Assert.Matches(@"^app: completed in \d+ms\n$", quiet.Stdout.ReplaceLineEndings("\n"));
        Assert.Single(File.ReadAllLines(_dir.File("builds.log")));

        // Recorded like any run: listed, shown, and the history's next full run still compares against the first.
        var show = await Flowline("show", third.RunId);
        Assert.Contains("Status: completed", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("ship   completed  up to date (run ", show.Stdout, StringComparison.Ordinal);
        var runs = await Flowline("runs");
        Assert.Equal(4, runs.Stdout.Split('\n').Count(line => line.Contains(" app ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_changed_source_a_new_file_or_folder_under_a_glob_or_a_deleted_output_takes_the_full_way()
    {
        var flow = Flow();
        await SettleAsync(flow);

        File.WriteAllText(_dir.File("src/app.cs"), "class App { int x; }\n");
        var changed = await Flowline("run", flow);
        Age();
        await Flowline("run", flow);
        File.WriteAllText(_dir.File("src/lib/more.cs"), "class More {}\n");
        var added = await Flowline("run", flow);
        Age();
        await Flowline("run", flow);
        Directory.CreateDirectory(_dir.File("src/lib/deep"));
        File.WriteAllText(_dir.File("src/lib/deep/new.cs"), "class New {}\n");
        var deeper = await Flowline("run", flow);
        Age();
        await Flowline("run", flow);
        File.Delete(_dir.File("bin/app"));
        var deleted = await Flowline("run", flow);

        Assert.Contains("ran: src/app.cs changed", changed.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: src/lib/more.cs added", added.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: src/lib/deep/new.cs added", deeper.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran: bin/app is missing", deleted.Stdout, StringComparison.Ordinal);
        Assert.All(new[] { changed, added, deeper, deleted }, run => Assert.DoesNotContain(NoChange, run.Stderr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_matrix_and_parallel_branches_print_the_same_from_the_manifest_as_from_the_full_check()
    {
        Directory.CreateDirectory(_dir.File("src"));
        File.WriteAllText(_dir.File("src/app.cs"), "class App {}\n");
        var flow = _dir.Write("matrix.yaml", """
            name: fan
            version: 2.0.0
            steps:
              - id: test
                name: Test
                type: script
                matrix:
                  os: [linux, mac]
                  node: [18, 20]
                  exclude: [{ os: mac, node: 18 }]
                cache:
                  sources: ["src/*.cs"]
                config:
                  command: echo
                  args: ["testing on {{ matrix.os }} with node {{ matrix.node }}"]
              - id: docs
                name: Docs
                type: script
                cache:
                  sources: ["src/app.cs"]
                config:
                  command: echo
                  args: ["docs"]
              - id: summary
                name: Summary
                type: script
                dependsOn: [test, docs]
                cache:
                  key: "{{ steps.docs.output }}"
                config:
                  command: echo
                  args: ["done"]
            """);
        var second = await SettleAsync(flow);

        var third = await Flowline("run", flow);

        Assert.Contains(NoChange, third.Stderr, StringComparison.Ordinal);
        Assert.Equal(SortedLines(second.Stdout), SortedLines(third.Stdout));
        Assert.Equal(Summary(second.Stdout), Summary(third.Stdout));
    }

    [Fact]
    public async Task A_file_made_and_removed_in_a_globbed_folder_leaves_its_names_as_they_were_and_the_check_holds()
    {
        var flow = Flow();
        await SettleAsync(flow);

        // As git's index.lock moves .git's time: the folder's time changed, its names did not.
        File.WriteAllText(_dir.File("src/lib/index.lock"), "");
        File.Delete(_dir.File("src/lib/index.lock"));
        var after = await Flowline("run", flow);

        Assert.Contains(NoChange, after.Stderr, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(_dir.File("builds.log")));
    }

    [Fact]
    public async Task An_edited_workflow_another_variable_force_or_a_report_takes_the_full_way()
    {
        var flow = Flow();
        await SettleAsync(flow);

        var variable = await Flowline("run", flow, "--var", "target=prod");
        var forced = await Flowline("run", flow, "--force", "ship");
        var report = await Flowline("run", flow, "--report-json", _dir.File("report.json"));
        File.AppendAllText(flow, "# a comment\n");
        var edited = await Flowline("run", flow);
        var again = await Flowline("run", flow);

        Assert.Contains("build  completed  up to date", variable.Stdout, StringComparison.Ordinal);
        Assert.Contains("ship   completed  ", variable.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ship   completed  up to date", variable.Stdout, StringComparison.Ordinal);
        Assert.Contains("(ran: forced (--force))", forced.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("report.json")));
        Assert.All(new[] { variable, forced, report, edited }, run => Assert.DoesNotContain(NoChange, run.Stderr, StringComparison.Ordinal));

        // The edited file's first full run was up to date and kept a new manifest.
        Assert.Contains(NoChange + edited.RunId + ")", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_from_the_environment_is_part_of_the_check()
    {
        var flow = Flow(secrets: "[DEPLOY_TOKEN]");
        var token = new Dictionary<string, string> { ["DEPLOY_TOKEN"] = "one" };
        await RunProcessAsync(token, flow);
        Age();
        await RunProcessAsync(token, flow);

        var same = await RunProcessAsync(token, flow);
        var other = await RunProcessAsync(new Dictionary<string, string> { ["DEPLOY_TOKEN"] = "two" }, flow);

        Assert.Contains(NoChange, same.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(NoChange, other.Stderr, StringComparison.Ordinal);
        Assert.Contains("build  completed  up to date", other.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secrets_file_is_part_of_the_check_and_its_warnings_are_printed_either_way()
    {
        var flow = Flow(secrets: "[DEPLOY_TOKEN]");
        var secrets = _dir.Write("secrets.env", "DEPLOY_TOKEN=one\n");
        File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var second = await SettleAsync(flow, "--secrets-file", secrets);

        var same = await Flowline("run", flow, "--secrets-file", secrets);
        File.WriteAllText(secrets, "DEPLOY_TOKEN=two\n");
        var other = await Flowline("run", flow, "--secrets-file", secrets);

        Assert.Contains(NoChange, same.Stderr, StringComparison.Ordinal);
        Assert.Equal(WithoutRunLine(second.Stderr), WithoutRunLine(same.Stderr));
        Assert.Contains("secrets.env", same.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(NoChange, other.Stderr, StringComparison.Ordinal);
        Assert.True(other.ExitCode == 0, other.Stdout + other.Stderr);
    }

    [Fact]
    public async Task Files_written_within_the_racy_margin_a_glob_matching_nothing_or_a_condition_reading_the_clock_keep_no_manifest()
    {
        var racy = Flow();
        await Flowline("run", racy);
        SetTimes(DateTime.UtcNow);
        await Flowline("run", racy);
        var afterRacy = await Flowline("run", racy);

        Assert.Contains("build  completed  up to date", afterRacy.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(NoChange, afterRacy.Stderr, StringComparison.Ordinal);

        var unmatched = Flow(extraSource: ", \"extra.txt\"");
        await SettleAsync(unmatched);
        var afterUnmatched = await Flowline("run", unmatched);

        Assert.Contains("warning: cache.sources 'extra.txt' of step 'build' matches no file", afterUnmatched.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(NoChange, afterUnmatched.Stderr, StringComparison.Ordinal);

        var clock = Flow(condition: "timestamp() > 0");
        await SettleAsync(clock);
        var afterClock = await Flowline("run", clock);

        Assert.Contains("ship   completed  up to date", afterClock.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(NoChange, afterClock.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pruning_the_run_a_manifest_came_from_takes_the_full_way_once()
    {
        var flow = Flow();
        await SettleAsync(flow);
        var copy = await Flowline("run", flow);

        // Keeps the copy, deletes the run whose manifest it was recorded from.
        var prune = await Flowline("runs", "prune", "--keep", "1");
        var full = await Flowline("run", flow);
        var fast = await Flowline("run", flow);

        Assert.Contains(NoChange, copy.Stderr, StringComparison.Ordinal);
        Assert.True(prune.ExitCode == 0, prune.Stdout + prune.Stderr);
        Assert.DoesNotContain(NoChange, full.Stderr, StringComparison.Ordinal);
        Assert.Contains("build  completed  up to date", full.Stdout, StringComparison.Ordinal);
        Assert.Contains(NoChange + full.RunId + ")", fast.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_that_cannot_be_read_takes_the_full_way_and_is_replaced()
    {
        var flow = Flow();
        await SettleAsync(flow);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(StateDir, "flowline.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE run_manifests SET manifest = x'0700ff';";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var full = await Flowline("run", flow);
        var fast = await Flowline("run", flow);

        Assert.True(full.ExitCode == 0, full.Stdout + full.Stderr);
        Assert.DoesNotContain(NoChange, full.Stderr, StringComparison.Ordinal);
        Assert.Contains("build  completed  up to date", full.Stdout, StringComparison.Ordinal);
        Assert.Contains(NoChange + full.RunId + ")", fast.Stderr, StringComparison.Ordinal);
    }

    private async Task<(string Stdout, string Stderr)> RunProcessAsync(IReadOnlyDictionary<string, string> environment, string flow)
    {
        using var process = FlowlineProcess.StartWith(environment, _dir.Path, "run", flow, "--state-dir", StateDir);
        Assert.Equal(0, await process.WaitForExitAsync());
        return (process.Stdout, process.Stderr);
    }

    // The per-step lines come in the order the steps finished, which parallel branches need not repeat.
    private static string[] SortedLines(string stdout) => [.. WithoutDuration(stdout).Split('\n').Order(StringComparer.Ordinal)];

    // The summary, from its first line on, in the workflow's order.
    private static string Summary(string stdout) => WithoutDuration(stdout[stdout.IndexOf("Workflow: ", StringComparison.Ordinal)..]);

    private static string WithoutRunLine(string stderr) =>
        string.Join('\n', stderr.ReplaceLineEndings("\n").Split('\n').Where(line => !line.StartsWith("run ", StringComparison.Ordinal)));

    private static string WithoutDuration(string summary) =>
        string.Join('\n', summary.ReplaceLineEndings("\n").Split('\n').Where(line => !line.StartsWith("Duration: ", StringComparison.Ordinal)));
}
