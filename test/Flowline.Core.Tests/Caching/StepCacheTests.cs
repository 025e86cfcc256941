using Flowline.Core.Tests.State;
using Flowline.State;

namespace Flowline.Core.Tests.Caching;

/// <summary>Up-to-date skipping (issue 14, docs/caching.md): real files, real processes, a real SQLite store.</summary>
public sealed class StepCacheTests : IDisposable
{
    private const string Chain = """
        name: cached
        version: 1.0.0
        variables:
          mode: { type: string, default: debug }
        steps:
          - id: build
            name: Build
            type: script
            cache:
              sources: ["src/**/*.txt"]
              outputs: ["out/app.txt"]
              key: "{{ variables.mode }}"
            config:
              command: sh
              args: ["-c", "mkdir -p out && cat src/*.txt > out/app.txt && echo ran >> runs.log && echo version=7 >> $FLOWLINE_OUTPUT && echo built"]
          - id: use
            name: Use
            type: script
            cache:
              sources: ["out/app.txt"]
            config:
              command: sh
              args: ["-c", "echo used >> runs.log && echo 'got {{ steps.build.output.version }}'"]
          - id: docs
            name: Docs
            type: script
            cache:
              sources: ["docs/*.md"]
            config:
              command: sh
              args: ["-c", "echo docs >> runs.log"]
        """;

    private readonly TempFolder _folder = new();

    public StepCacheTests()
    {
        Directory.CreateDirectory(_folder.Combine("src"));
        Directory.CreateDirectory(_folder.Combine("docs"));
        File.WriteAllText(_folder.Combine("src", "a.txt"), "a\n");
        File.WriteAllText(_folder.Combine("src", "b.txt"), "b\n");
        File.WriteAllText(_folder.Combine("docs", "index.md"), "# docs\n");
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_second_run_skips_every_step_and_restores_what_dependents_read()
    {
        var first = await RunAsync();
        var second = await RunAsync();

        Assert.True(first.Success);
        Assert.All(first.StepResults.Values, r => Assert.Equal("ran: no earlier run", r.Cache!.Reason));
        Assert.All(first.StepResults.Values, r => Assert.False(r.Cached));
        Assert.True(second.Success);
        Assert.All(second.StepResults.Values, r => Assert.True(r.Cached));
        Assert.All(second.StepResults.Values, r => Assert.Equal(StepStatus.Completed, r.Status));
        var runId = first.StepResults["build"].Cache!.FromRun ?? (await LatestRunIdsAsync())[1];
        Assert.Equal($"up to date (run {runId})", second.StepResults["build"].Cache!.Reason);
        Assert.Equal("7", second.StepResults["build"].Outputs["version"]);
        Assert.Equal("built", second.StepResults["build"].Output);
        Assert.Equal("got 7", second.StepResults["use"].Output);
        Assert.Equal(0, second.StepResults["use"].Attempts);
        Assert.Equal(["docs", "ran", "used"], Log().Order());
    }

    [Fact]
    public async Task A_changed_source_reruns_exactly_the_steps_it_affects_and_names_the_file()
    {
        await RunAsync();
        File.WriteAllText(_folder.Combine("src", "a.txt"), "A changed\n");

        var result = await RunAsync();

        Assert.Equal("ran: src/a.txt changed", result.StepResults["build"].Cache!.Reason);
        Assert.Equal("ran: out/app.txt changed", result.StepResults["use"].Cache!.Reason);
        Assert.True(result.StepResults["docs"].Cached);
        Assert.Equal(["docs", "ran", "ran", "used", "used"], Log().Order());
    }

    [Fact]
    public async Task An_added_and_a_removed_source_are_named_too()
    {
        await RunAsync();
        File.WriteAllText(_folder.Combine("src", "c.txt"), "c\n");
        File.Delete(_folder.Combine("src", "b.txt"));

        var result = await RunAsync();

        Assert.Equal("ran: src/c.txt added, src/b.txt removed", result.StepResults["build"].Cache!.Reason);
    }

    [Fact]
    public async Task A_rendered_argument_that_changes_reruns_the_step_and_says_so()
    {
        await RunAsync();

        var result = await RunAsync(new ExecutionOptions { Variables = new Dictionary<string, object?> { ["mode"] = "release" } });

        Assert.Equal("ran: key changed", result.StepResults["build"].Cache!.Reason);
        Assert.True(result.StepResults["use"].Cached);
    }

    [Fact]
    public async Task An_upstream_value_that_changes_reruns_its_readers()
    {
        await RunAsync();
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain.Replace("version=7", "version=8", StringComparison.Ordinal));

        var result = await RunAsync();

        Assert.Equal("ran: args changed", result.StepResults["build"].Cache!.Reason);
        Assert.Equal("ran: args changed, steps.build.output changed", result.StepResults["use"].Cache!.Reason);
        Assert.Equal("got 8", result.StepResults["use"].Output);
    }

    [Fact]
    public async Task A_deleted_output_forces_a_rerun()
    {
        await RunAsync();
        File.Delete(_folder.Combine("out", "app.txt"));

        var result = await RunAsync();

        Assert.Equal("ran: out/app.txt is missing", result.StepResults["build"].Cache!.Reason);
        Assert.True(File.Exists(_folder.Combine("out", "app.txt")));

        // The output has the same content again, so the step that reads it is up to date.
        Assert.True(result.StepResults["use"].Cached);
    }

    [Fact]
    public async Task Force_runs_every_cached_step_and_force_step_runs_one()
    {
        await RunAsync();

        var all = await RunAsync(new ExecutionOptions { Force = true });
        var one = await RunAsync(new ExecutionOptions { ForceSteps = ["docs"] });

        Assert.All(all.StepResults.Values, r => Assert.Equal("ran: forced (--force)", r.Cache!.Reason));
        Assert.Equal("ran: forced (--force)", one.StepResults["docs"].Cache!.Reason);
        Assert.True(one.StepResults["build"].Cached);
        Assert.True(one.StepResults["use"].Cached);
    }

    [Fact]
    public async Task A_step_whose_last_run_failed_runs_again()
    {
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain.Replace("echo docs >> runs.log", "test -f docs/ok && echo docs >> runs.log", StringComparison.Ordinal));
        var failed = await RunAsync();
        var again = await RunAsync();

        Assert.Equal(StepStatus.Failed, failed.StepResults["docs"].Status);
        Assert.StartsWith("ran: its last run (", again.StepResults["docs"].Cache!.Reason, StringComparison.Ordinal);
        Assert.EndsWith(") failed", again.StepResults["docs"].Cache!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_run_keeps_the_latest_entry_of_the_steps_it_never_ran_and_a_resume_takes_them_over()
    {
        // Schema v7's cache_latest: the entry of a step that did not run in a failed run stays on the last successful
        // run, the failed step's own entry is the failed row (so it runs again), and a resumed run's rows replace both.
        await RunAsync();
        var good = (await LatestRunIdsAsync())[0];
        File.WriteAllText(_folder.Combine("src", "a.txt"), "changed\n");
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain.Replace("echo ran >> runs.log", "test -f src/ok && echo ran >> runs.log", StringComparison.Ordinal));
        var failed = await RunAsync();
        var failedId = (await LatestRunIdsAsync())[0];
        var afterFailure = await CachedStepsAsync();

        Assert.Equal(StepStatus.Failed, failed.StepResults["build"].Status);
        Assert.Equal((failedId, StepStatus.Failed), (afterFailure["build"].RunId, afterFailure["build"].Status));
        Assert.Equal((good, StepStatus.Completed), (afterFailure["use"].RunId, afterFailure["use"].Status));

        File.WriteAllText(_folder.Combine("src", "ok"), string.Empty);
        WorkflowSnapshot snapshot;
        await using (var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory))
        {
            snapshot = (await store.LoadSnapshotAsync(failedId, default))!;
        }

        var resumed = await RunAsync(new ExecutionOptions { ResumeFrom = snapshot });
        var resumedId = (await LatestRunIdsAsync())[0];
        var afterResume = await CachedStepsAsync();
        var again = await RunAsync();

        Assert.Equal(WorkflowStatus.Completed, resumed.Status);
        Assert.Equal((resumedId, StepStatus.Completed), (afterResume["build"].RunId, afterResume["build"].Status));
        Assert.Equal(resumedId, afterResume["use"].RunId);
        Assert.All(again.StepResults.Values, r => Assert.True(r.Cached));
    }

    [Fact]
    public async Task A_file_hash_is_kept_by_path_size_and_time_and_trusted_while_they_match()
    {
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var path = _folder.Combine("docs", "index.md");
        File.SetLastWriteTimeUtc(path, old);
        await RunAsync();
        await using (var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory))
        {
            var kept = await store.GetFileHashesAsync(_folder.Path, default);
            Assert.Equal(new FileInfo(path).Length, kept[path].Size);
            Assert.Equal(old.Ticks, kept[path].ModifiedTicks);
        }

        // Same size, same time: the kept hash is trusted and the file is not read, as ninja and Bazel do.
        File.WriteAllText(path, "# DOCS\n");
        File.SetLastWriteTimeUtc(path, old);
        var trusted = await RunAsync();
        File.SetLastWriteTimeUtc(path, old.AddSeconds(1));
        var reread = await RunAsync();

        Assert.True(trusted.StepResults["docs"].Cached);
        Assert.Equal("ran: docs/index.md changed", reread.StepResults["docs"].Cache!.Reason);
    }

    [Fact]
    public async Task A_glob_that_matches_nothing_is_a_warning_in_the_log_and_the_step_still_runs()
    {
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain.Replace("docs/*.md", "doc/*.md", StringComparison.Ordinal));
        var runner = new WorkflowRunner();
        var lines = new List<string>();
        runner.LogReceived += (_, e) => lines.Add(e.Entry.Text);

        var result = await RunAsync(runner: runner);

        Assert.True(result.StepResults["docs"].Success);
        Assert.Contains(lines, line => line.Contains("warning: cache.sources 'doc/*.md' of step 'docs' matches no file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cache_key_that_cannot_be_rendered_fails_the_step()
    {
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain.Replace("{{ variables.mode }}", "{{ variables.nope }}", StringComparison.Ordinal)
            .Replace("mode: { type: string, default: debug }", "mode: { type: string, default: debug }\n  nope: { type: string, required: false }", StringComparison.Ordinal));

        var result = await RunAsync();

        Assert.Equal(StepStatus.Failed, result.StepResults["build"].Status);
        Assert.StartsWith("cache.key:", result.StepResults["build"].Error, StringComparison.Ordinal);
        Assert.Empty(Log());
    }

    [Fact]
    public async Task Without_a_store_a_cached_step_always_runs()
    {
        var workflow = Load();
        await new WorkflowRunner().ExecuteAsync(workflow);
        var result = await new WorkflowRunner().ExecuteAsync(workflow);

        Assert.All(result.StepResults.Values, r => Assert.Null(r.Cache));
        Assert.Equal(["docs", "docs", "ran", "ran", "used", "used"], Log().Order());
    }

    [Fact]
    public void Validation_warns_of_a_glob_that_matches_nothing_unless_a_step_makes_it()
    {
        File.WriteAllText(_folder.Combine("flow.yaml"), Chain.Replace("docs/*.md", "doc/*.md", StringComparison.Ordinal));
        File.Delete(_folder.Combine("src", "a.txt"));

        var result = WorkflowValidator.ValidateFile(_folder.Combine("flow.yaml"));

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.CacheSourceMatchesNothing, DiagnosticSeverity.Warning, "docs"), (warning.Code, warning.Severity, warning.StepId));
        Assert.Equal((28, 17), (warning.Location!.Line, warning.Location.Column));
        Assert.Contains("'doc/*.md'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_step_that_does_not_exist_is_an_error_with_a_suggestion()
    {
        var errors = WorkflowValidator.CheckForcedSteps(Load(), ["biuld", "use"]);

        var error = Assert.Single(errors);
        Assert.Equal(DiagnosticCodes.UnknownForcedStep, error.Code);
        Assert.Contains("Did you mean 'build'?", error.Message, StringComparison.Ordinal);
    }

    private WorkflowDefinition Load()
    {
        var loaded = WorkflowLoader.LoadFile(_folder.Combine("flow.yaml"));
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return loaded.Definition!;
    }

    private async Task<WorkflowResult> RunAsync(ExecutionOptions? options = null, WorkflowRunner? runner = null)
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        return await (runner ?? new WorkflowRunner()).ExecuteAsync(Load(), (options ?? new ExecutionOptions()) with { RunStore = store });
    }

    private async Task<IReadOnlyList<string>> LatestRunIdsAsync()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        return [.. (await store.ListRunsAsync(new RunQuery(), default)).Select(r => r.Id)];
    }

    private async Task<IReadOnlyDictionary<string, StepRecord>> CachedStepsAsync()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        return await store.GetCachedStepsAsync("cached", Path.GetFullPath(_folder.Combine("flow.yaml")), default);
    }

    private List<string> Log() => File.Exists(_folder.Combine("runs.log")) ? [.. File.ReadAllLines(_folder.Combine("runs.log"))] : [];
}
