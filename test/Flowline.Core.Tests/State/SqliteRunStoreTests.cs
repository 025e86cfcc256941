using Flowline.State;
using Microsoft.Data.Sqlite;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

public sealed class SqliteRunStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Opening_a_fresh_folder_creates_the_database_in_wal_mode_with_the_latest_schema()
    {
        await using (var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock()))
        {
            Assert.Equal(_folder.Combine(".flowline", "flowline.db"), store.DatabasePath);
        }

        Assert.Equal(8L, Scalar("PRAGMA user_version;"));
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
        Assert.Equal(3L, Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'steps', 'step_handles');"));
    }

    [Fact]
    public async Task A_version_5_database_keeps_its_runs_with_no_origin_and_records_origins_and_cancel_requests_once_upgraded()
    {
        Directory.CreateDirectory(_folder.StateDirectory.Path);
        using (var connection = new SqliteConnection($"Data Source={_folder.StateDirectory.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Concat(Enumerable.Range(0, 5).Select(SqliteSchema.MigrationFrom)) + """
                PRAGMA user_version = 5;
                INSERT INTO runs (id, workflow_name, workflow_version, status, started_at, finished_at, heartbeat_at) VALUES ('OLD', 'build', '1', 'completed', 0, 5, 5);
                """;
            command.ExecuteNonQuery();
        }

        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        var old = (await store.GetRunAsync("OLD"))!;
        await store.RunStartedAsync(Run("NEW", Start) with { Origin = "cli run", StartedBy = "alice" });

        Assert.Equal(8L, Scalar("PRAGMA user_version;"));
        Assert.Equal((RunStatus.Completed, null, null), (old.Status, old.Origin, old.StartedBy));
        Assert.Equal(("cli run", "alice"), ((await store.GetRunAsync("NEW"))!.Origin, (await store.GetRunAsync("NEW"))!.StartedBy));
        Assert.False(await store.RequestCancelAsync("OLD", "tester"));
        Assert.True(await store.RequestCancelAsync("NEW", "tester"));
        Assert.Equal(new RunCancelRequest(Start, "tester"), await store.GetCancelRequestAsync("NEW"));
    }

    [Fact]
    public async Task A_version_6_database_fills_the_latest_cache_entries_from_its_history_and_keeps_them_once_upgraded()
    {
        Directory.CreateDirectory(_folder.StateDirectory.Path);
        using (var connection = new SqliteConnection($"Data Source={_folder.StateDirectory.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            const string Cache = "'{\"key\":\"KEY\",\"reason\":\"ran: no earlier run\",\"inputs\":{},\"files\":{}}'";
            command.CommandText = string.Concat(Enumerable.Range(0, 6).Select(SqliteSchema.MigrationFrom)) + $"""
                PRAGMA user_version = 6;
                INSERT INTO runs (id, workflow_name, workflow_version, workflow_path, status, started_at, finished_at, heartbeat_at) VALUES
                    ('R1', 'build', '1', '/w/build.yaml', 'completed', 100, 150, 150),
                    ('R2', 'build', '1', '/w/build.yaml', 'failed', 200, 250, 250),
                    ('R3', 'build', '1', NULL, 'completed', 300, 350, 350),
                    ('R0', 'build', '1', '/w/build.yaml', 'completed', 50, 60, 60);
                INSERT INTO steps (run_id, step_id, status, cache) VALUES
                    ('R1', 'compile', 'completed', {Cache.Replace("KEY", "k1", StringComparison.Ordinal)}),
                    ('R1', 'test', 'completed', {Cache.Replace("KEY", "t1", StringComparison.Ordinal)}),
                    ('R1', 'plain', 'completed', NULL),
                    ('R2', 'compile', 'failed', {Cache.Replace("KEY", "k2", StringComparison.Ordinal)}),
                    ('R2', 'test', 'skipped', NULL),
                    ('R3', 'compile', 'completed', {Cache.Replace("KEY", "k3", StringComparison.Ordinal)}),
                    ('R0', 'compile', 'completed', {Cache.Replace("KEY", "k0", StringComparison.Ordinal)});
                """;
            command.ExecuteNonQuery();
        }

        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        var cached = await store.GetCachedStepsAsync("build", "/w/build.yaml", default);
        var withoutFile = await store.GetCachedStepsAsync("build", null, default);
        await store.RunStartedAsync(Run("R4", Start) with { WorkflowPath = "/w/build.yaml" });
        await store.StepChangedAsync(Step("R4", "test") with { Cache = new StepCacheInfo { Key = "t4", Reason = "ran: t changed" } });
        var afterRun = await store.GetCachedStepsAsync("build", "/w/build.yaml", default);

        Assert.Equal(8L, Scalar("PRAGMA user_version;"));
        Assert.Equal(3L, Scalar("SELECT count(*) FROM cache_latest;"));
        Assert.Equal(["compile", "test"], cached.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("R2", StepStatus.Failed, "k2"), (cached["compile"].RunId, cached["compile"].Status, cached["compile"].Cache!.Key));
        Assert.Equal(("R1", "t1"), (cached["test"].RunId, cached["test"].Cache!.Key));
        Assert.Equal(("R3", "k3"), (Assert.Single(withoutFile).Value.RunId, withoutFile["compile"].Cache!.Key));
        Assert.Equal(("R2", "R4", "t4"), (afterRun["compile"].RunId, afterRun["test"].RunId, afterRun["test"].Cache!.Key));
    }

    [Fact]
    public async Task Reopening_the_database_keeps_recorded_runs()
    {
        await using (var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock()))
        {
            await store.RunStartedAsync(Run("kept", Start));
            await store.StepChangedAsync(Step("kept", "compile"));
            await store.RunFinishedAsync("kept", RunStatus.Completed, null);
        }

        await using var reopened = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());

        Assert.Equal(RunStatus.Completed, (await reopened.GetRunAsync("kept"))!.Status);
        Assert.Equal(["compile"], (await reopened.GetStepsAsync("kept")).Select(step => step.StepId));
    }

    [Fact]
    public async Task A_database_written_by_a_newer_flowline_is_refused_and_left_unchanged()
    {
        await (await SqliteRunStore.OpenAsync(_folder.StateDirectory)).DisposeAsync();
        Scalar("PRAGMA user_version = 99;");

        var error = await Assert.ThrowsAsync<RunStoreException>(() => SqliteRunStore.OpenAsync(_folder.StateDirectory));

        Assert.Contains(_folder.StateDirectory.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal(99L, Scalar("PRAGMA user_version;"));
    }

    [Fact]
    public async Task A_file_of_random_bytes_gives_a_clear_error_naming_the_file_and_the_way_out()
    {
        Directory.CreateDirectory(_folder.StateDirectory.Path);
        var garbage = new byte[8192];
        new Random(6).NextBytes(garbage);
        await File.WriteAllBytesAsync(_folder.StateDirectory.DatabasePath, garbage);

        var error = await Assert.ThrowsAsync<RunStoreException>(() => SqliteRunStore.OpenAsync(_folder.StateDirectory));

        Assert.Equal(_folder.StateDirectory.DatabasePath, error.Path);
        Assert.Contains(_folder.StateDirectory.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a Flowline database", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-state", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(_folder.StateDirectory.DatabasePath));
    }

    [Fact]
    public async Task A_database_damaged_after_its_header_gives_a_clear_error_when_read()
    {
        await using (var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock()))
        {
            await store.RunStartedAsync(Run("damaged", Start));
        }

        // Keep the 100-byte header and the first page's b-tree header, scramble every later page.
        var bytes = await File.ReadAllBytesAsync(_folder.StateDirectory.DatabasePath);
        var noise = new Random(7);
        for (var i = 4096; i < bytes.Length; i++)
        {
            bytes[i] = (byte)noise.Next(256);
        }

        await File.WriteAllBytesAsync(_folder.StateDirectory.DatabasePath, bytes);

        var error = await Assert.ThrowsAsync<RunStoreException>(async () =>
        {
            await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
            await store.ListRunsAsync(new RunQuery());
        });

        Assert.Contains(_folder.StateDirectory.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_edited_into_invalid_json_gives_a_clear_error_when_read()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        await store.RunStartedAsync(Run("edited", Start));
        Scalar("UPDATE runs SET variables = '{not json' WHERE id = 'edited';");

        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.GetRunAsync("edited"));

        Assert.Contains(_folder.StateDirectory.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot read", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_store_reads_runs_but_refuses_writes_with_a_clear_error()
    {
        // Tests run as root, where chmod 0444 does not stop writes; a read-only open is what the OS would enforce.
        await using (var writer = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock()))
        {
            await writer.RunStartedAsync(Run("seen", Start));
        }

        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, new RunStoreOptions { ReadOnly = true }, Clock());

        Assert.Equal("seen", (await store.GetRunAsync("seen"))!.Id);
        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.RunStartedAsync(Run("new", Start)));
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        Assert.Contains(_folder.StateDirectory.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_read_only_where_no_run_was_ever_recorded_says_so_and_creates_nothing()
    {
        var error = await Assert.ThrowsAsync<RunStoreException>(() =>
            SqliteRunStore.OpenAsync(_folder.StateDirectory, new RunStoreOptions { ReadOnly = true }));

        Assert.Contains("no state database", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.StateDirectory.Path));
    }

    [Fact]
    public async Task A_state_folder_that_cannot_be_created_gives_a_clear_error()
    {
        await File.WriteAllTextAsync(_folder.Combine("blocker"), "a file where a folder should be");
        var directory = new StateDirectory(_folder.Combine("blocker", ".flowline"));

        var error = await Assert.ThrowsAsync<RunStoreException>(() => SqliteRunStore.OpenAsync(directory));

        Assert.Contains(directory.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("--state-dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_path_taken_by_a_folder_gives_a_clear_error()
    {
        Directory.CreateDirectory(_folder.StateDirectory.DatabasePath);

        var error = await Assert.ThrowsAsync<RunStoreException>(() => SqliteRunStore.OpenAsync(_folder.StateDirectory));

        Assert.Contains(_folder.StateDirectory.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pruning_deletes_the_runs_log_folders()
    {
        var time = Clock();
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: time);
        foreach (var (id, minute) in new[] { ("OLD", 0), ("NEW", 1) })
        {
            await store.RunStartedAsync(Run(id, Start.AddMinutes(minute)));
            await using (var log = RunLogWriter.Open(_folder.StateDirectory.StepLogPath(id, "compile"), time))
            {
                log.WriteLine("building");
            }

            await store.RunFinishedAsync(id, RunStatus.Completed, null);
        }

        await store.PruneAsync(new RunPruneOptions { Keep = 1 });

        Assert.False(Directory.Exists(_folder.StateDirectory.RunLogDirectory("OLD")));
        Assert.True(File.Exists(_folder.StateDirectory.StepLogPath("NEW", "compile")));
    }

    [Fact]
    public async Task A_snapshot_records_how_far_each_step_log_has_been_written()
    {
        var time = Clock();
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: time);
        await store.RunStartedAsync(Run("R", Start));
        await store.StepChangedAsync(Step("R", "compile"));
        await store.StepChangedAsync(Step("R", "quiet"));
        await using (var log = RunLogWriter.Open(_folder.StateDirectory.StepLogPath("R", "compile"), time))
        {
            log.WriteLine("building");
        }

        var snapshot = await store.LoadSnapshotAsync("R");

        var length = new FileInfo(_folder.StateDirectory.StepLogPath("R", "compile")).Length;
        Assert.Equal(new Dictionary<string, long> { ["compile"] = length }, snapshot!.LogCursor);
    }

    [Fact]
    public async Task An_up_to_date_copy_is_stored_without_the_manifest_and_leaves_the_place_to_the_row_it_came_from()
    {
        var ran = new StepCacheInfo
        {
            Key = "k1",
            Reason = "ran: no earlier run",
            Inputs = new Dictionary<string, string> { ["args"] = "a1", ["type"] = "t1" },
            Files = new Dictionary<string, string> { ["src/app.cs"] = "f1" },
        };
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        await store.RunStartedAsync(Run("R1", Start) with { WorkflowPath = "/w/build.yaml" });
        await store.StepChangedAsync(Step("R1", "compile") with { Cache = ran });
        await store.RunFinishedAsync("R1", RunStatus.Completed, null);
        await store.RunStartedAsync(Run("R2", Start.AddMinutes(1)) with { WorkflowPath = "/w/build.yaml" });
        await store.StepChangedAsync(Step("R2", "compile") with { Cache = ran with { UpToDate = true, FromRun = "R1", Reason = "up to date (run R1)" } });
        await store.RunFinishedAsync("R2", RunStatus.Completed, null);

        var stored = (string)Scalar("SELECT cache FROM steps WHERE run_id = 'R2';")!;
        var cached = (await store.GetCachedStepsAsync("build", "/w/build.yaml", default))["compile"];
        var shown = (await store.GetStepsAsync("R2", default)).Single().Cache!;

        Assert.DoesNotContain("src/app.cs", stored, StringComparison.Ordinal);
        Assert.Equal(("R1", "k1", false), (cached.RunId, cached.Cache!.Key, cached.Cache.UpToDate));
        Assert.Equal(ran.Files, cached.Cache.Files);
        Assert.Equal(ran.Inputs, cached.Cache.Inputs);
        Assert.Equal(("up to date (run R1)", "R1", "k1"), (shown.Reason, shown.FromRun, shown.Key));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM cache_latest;"));

        // The run it was restored from pruned: the copy takes the place with its key, which is all the check compares.
        await store.PruneAsync(new RunPruneOptions { Keep = 1 }, default);
        var afterPrune = (await store.GetCachedStepsAsync("build", "/w/build.yaml", default))["compile"];

        Assert.Equal(("R2", "k1", true, "R1"), (afterPrune.RunId, afterPrune.Cache!.Key, afterPrune.Cache.UpToDate, afterPrune.Cache.FromRun));
        Assert.Empty(afterPrune.Cache.Files);
    }

    [Fact]
    public async Task A_run_manifest_is_kept_per_workflow_file_and_an_up_to_date_run_is_recorded_as_a_copy_of_its_run()
    {
        var upToDate = new StepCacheInfo { Key = "k1", Reason = "up to date (run R0)", UpToDate = true, FromRun = "R0" };
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        await store.RunStartedAsync(Run("R1", Start) with { WorkflowPath = "/w/build.yaml" });
        await store.StepChangedAsync(Step("R1", "compile") with { Cache = upToDate, Outputs = new Dictionary<string, string> { ["size"] = "13" } });
        await store.StepChangedAsync(Step("R1", "test") with { Cache = upToDate });
        await store.RunFinishedAsync("R1", RunStatus.Completed, null);
        var manifest = Manifest("key-1");

        Assert.Null(await store.GetRunManifestAsync("/w/build.yaml"));
        await store.SaveRunManifestAsync("/w/build.yaml", "R1", manifest);
        await store.SaveRunManifestAsync("/w/build.yaml", "R1", manifest with { CallKey = "key-2" });
        var kept = await store.GetRunManifestAsync("/w/build.yaml");
        var copy = await store.RecordUpToDateRunAsync("R1", "R2", "cli run", Start.AddSeconds(-1));

        Assert.Equal(("R1", "key-2"), (kept!.Value.RunId, kept.Value.Manifest.CallKey));
        Assert.Null(await store.GetRunManifestAsync("/w/other.yaml"));
        Assert.NotNull(copy);
        var (run, steps) = copy.Value;
        Assert.Equal(("R2", RunStatus.Completed, "cli run", "build", "/w/build.yaml", "ab12"), (run.Id, run.Status, run.Origin, run.WorkflowName, run.WorkflowPath, run.ContentHash));
        Assert.Equal((Start.AddSeconds(-1), Start), (run.StartedAt, run.FinishedAt));
        Assert.Equal(["compile", "test"], steps.Select(step => step.StepId));
        Assert.All(steps, step => Assert.Equal(("up to date (run R0)", "R0", Start, Start), (step.Cache!.Reason, step.Cache.FromRun, step.StartedAt, step.FinishedAt)));
        Assert.Equal("13", steps[0].Outputs!["size"]);

        // The copies leave each step's place to the row it was restored from, as any up-to-date row does.
        Assert.Equal(0L, Scalar("SELECT count(*) FROM cache_latest WHERE run_id = 'R2';"));
    }

    [Fact]
    public async Task No_up_to_date_copy_is_recorded_from_a_run_that_is_gone_or_did_not_complete_and_pruning_a_run_drops_its_manifest()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        await store.RunStartedAsync(Run("R1", Start) with { WorkflowPath = "/w/build.yaml" });
        await store.RunFinishedAsync("R1", RunStatus.Failed, "boom");
        await store.RunStartedAsync(Run("R2", Start.AddMinutes(1)) with { WorkflowPath = "/w/build.yaml" });
        await store.RunFinishedAsync("R2", RunStatus.Completed, null);
        await store.SaveRunManifestAsync("/w/build.yaml", "R1", Manifest("key"));

        Assert.Null(await store.RecordUpToDateRunAsync("R1", "R3", "cli run", Start));
        Assert.Null(await store.RecordUpToDateRunAsync("gone", "R4", "cli run", Start));
        Assert.Equal(2L, Scalar("SELECT count(*) FROM runs;"));

        await store.PruneAsync(new RunPruneOptions { Keep = 1 }, default);

        Assert.Null(await store.GetRunManifestAsync("/w/build.yaml"));
    }

    private static Flowline.Caching.RunManifest Manifest(string callKey) => new()
    {
        CallKey = callKey,
        EnvironmentNames = ["TOKEN"],
        ContentHash = "ab12",
        Folder = "/w",
        StepIds = ["compile", "test"],
        Entries = [new(Flowline.Caching.ManifestEntryKind.File, "src/app.cs", 13, 42)],
    };

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_folder.StateDirectory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
