using Microsoft.Data.Sqlite;

namespace Flowline.State;

public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, StepRecord>> GetCachedStepsAsync(string workflowName, string? workflowPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        return InTransactionAsync<IReadOnlyDictionary<string, StepRecord>>(write: false, $"reading the cached steps of workflow '{workflowName}'", transaction =>
        {
            // cache_latest (schema v7) names each step's latest run with a cache entry, kept by every step write: one
            // primary-key lookup per step, whatever the length of the history.
            using var command = Command(transaction, $"""
                SELECT {StepColumns} FROM cache_latest AS latest JOIN steps USING (run_id, step_id)
                WHERE latest.workflow_name = $name AND latest.workflow_path = $path;
                """);
            command.Parameters.AddWithValue("$name", workflowName);
            command.Parameters.AddWithValue("$path", workflowPath ?? string.Empty);
            using var reader = command.ExecuteReader();
            var steps = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var step = ToStep(reader);
                steps[step.StepId] = step;
            }

            return steps;
        }, cancellationToken);
    }

    /// <summary>
    /// The cache entry as stored: an up-to-date step's entry without its inputs and files, which are those of the entry
    /// of the run it points to (<see cref="StepCacheInfo.FromRun"/>, same key), the one that keeps its step's place in
    /// cache_latest. A no-op run of 1,000 steps with 10 sources each wrote ~0.9 KB of copied manifest per step, ~1 MB
    /// per run (issue 14).
    /// </summary>
    private static StepCacheInfo StoredCache(StepCacheInfo cache) =>
        cache is { UpToDate: true, FromRun: not null } && (cache.Inputs.Count > 0 || cache.Files.Count > 0)
            ? cache with { Inputs = EmptyMap<string>.Instance, Files = EmptyMap<string>.Instance }
            : cache;

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, FileHash>> GetFileHashesAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var prefix = Path.TrimEndingDirectorySeparator(folder) + "/";
        return InTransactionAsync<IReadOnlyDictionary<string, FileHash>>(write: false, $"reading the content hashes of files under '{folder}'", transaction =>
        {
            // Every path under the folder sorts between "folder/" and "folder0" ('0' follows '/'). Counted first so the
            // map is made at its size: an up-to-date run of 1,000 steps reads ~11,000 of them.
            using var count = Command(transaction, "SELECT count(*) FROM file_hashes WHERE path >= $from AND path < $to;");
            count.Parameters.AddWithValue("$from", prefix);
            count.Parameters.AddWithValue("$to", prefix[..^1] + "0");
            var capacity = (int)Math.Min((long)count.ExecuteScalar()!, 1_000_000);
            using var command = Command(transaction, "SELECT path, size, modified, hash FROM file_hashes WHERE path >= $from AND path < $to;");
            command.Parameters.AddWithValue("$from", prefix);
            command.Parameters.AddWithValue("$to", prefix[..^1] + "0");
            using var reader = command.ExecuteReader();
            var hashes = new Dictionary<string, FileHash>(capacity, StringComparer.Ordinal);
            while (reader.Read())
            {
                var path = reader.GetString(0);
                hashes[path] = new FileHash(path, reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
            }

            return hashes;
        }, cancellationToken);
    }

    /// <summary>
    /// Keeps cache_latest right after a batch of step writes: a row with a cache entry becomes its step's latest unless
    /// a later-started run already holds it; a row that lost its cache entry while being the latest hands the place
    /// back to the history's next latest.
    /// </summary>
    private void KeepLatestCacheEntries(SqliteTransaction transaction, IReadOnlyList<StepRecord> steps, Dictionary<string, CacheOwner> runs)
    {
        SqliteCommand? upsert = null;
        SqliteCommand? release = null;
        SqliteCommand? refill = null;
        try
        {
            foreach (var step in steps)
            {
                var owner = runs[step.RunId];
                if (step.Cache is { UpToDate: true, FromRun: not null })
                {
                    // An up-to-date copy: the entry it was restored from keeps the place (same key, status and
                    // output), so the next run reads the full manifest, and the write costs no upsert.
                    runs[step.RunId] = owner with { HasEntries = true };
                    continue;
                }

                if (step.Cache is not null)
                {
                    runs[step.RunId] = owner with { HasEntries = true };
                    upsert ??= Prepared(transaction, """
                        INSERT INTO cache_latest (workflow_name, workflow_path, step_id, run_id, run_started) VALUES ($name, $path, $step, $run, $started)
                        ON CONFLICT (workflow_name, workflow_path, step_id) DO UPDATE SET run_id = excluded.run_id, run_started = excluded.run_started
                        WHERE excluded.run_started >= cache_latest.run_started;
                        """);
                    Bind(upsert, owner, step).ExecuteNonQuery();
                    continue;
                }

                if (!owner.HasEntries)
                {
                    // No step of this workflow has a place: nothing to hand back (a workflow without cache: pays nothing more).
                    continue;
                }

                release ??= Prepared(transaction, "DELETE FROM cache_latest WHERE workflow_name = $name AND workflow_path = $path AND step_id = $step AND run_id = $run;");
                if (Bind(release, owner, step).ExecuteNonQuery() > 0)
                {
                    refill ??= Prepared(transaction, $"""
                        INSERT OR IGNORE INTO cache_latest (workflow_name, workflow_path, step_id, run_id, run_started)
                        SELECT {LatestFromHistory} AND r.workflow_name = $name AND coalesce(r.workflow_path, '') = $path AND s.step_id = $step
                        GROUP BY r.workflow_name, coalesce(r.workflow_path, ''), s.step_id;
                        """);
                    Bind(refill, owner, step).ExecuteNonQuery();
                }
            }
        }
        finally
        {
            upsert?.Dispose();
            release?.Dispose();
            refill?.Dispose();
        }
    }

    /// <summary>After runs are deleted: drops their cache_latest rows and fills the gaps from the remaining history.</summary>
    private void RefillLatestCacheEntries(SqliteTransaction transaction)
    {
        using var command = Command(transaction, $"""
            DELETE FROM cache_latest WHERE run_id NOT IN (SELECT id FROM runs);
            INSERT OR IGNORE INTO cache_latest (workflow_name, workflow_path, step_id, run_id, run_started)
            SELECT {LatestFromHistory}
            GROUP BY r.workflow_name, coalesce(r.workflow_path, ''), s.step_id;
            """);
        command.ExecuteNonQuery();
    }

    /// <summary>The run a step row belongs to, as cache_latest keys it; throws for an unknown run.</summary>
    private CacheOwner CacheOwnerOf(SqliteTransaction transaction, string runId)
    {
        using var command = Command(transaction, """
            SELECT r.workflow_name, coalesce(r.workflow_path, ''), r.started_at,
                EXISTS (SELECT 1 FROM cache_latest AS c WHERE c.workflow_name = r.workflow_name AND c.workflow_path = coalesce(r.workflow_path, ''))
            FROM runs AS r WHERE r.id = $id;
            """);
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new CacheOwner(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetBoolean(3)) : throw UnknownRun(runId);
    }

    /// <summary>A cache_latest command with its parameters ($name, $path, $step, $run, $started; unused ones are ignored).</summary>
    private SqliteCommand Prepared(SqliteTransaction transaction, string sql)
    {
        var command = Command(transaction, sql);
        command.Parameters.Add("$name", SqliteType.Text);
        command.Parameters.Add("$path", SqliteType.Text);
        command.Parameters.Add("$step", SqliteType.Text);
        command.Parameters.Add("$run", SqliteType.Text);
        command.Parameters.Add("$started", SqliteType.Integer);
        return command;
    }

    private static SqliteCommand Bind(SqliteCommand command, CacheOwner owner, StepRecord step)
    {
        command.Parameters[0].Value = owner.WorkflowName;
        command.Parameters[1].Value = owner.WorkflowPath;
        command.Parameters[2].Value = step.StepId;
        command.Parameters[3].Value = step.RunId;
        command.Parameters[4].Value = owner.StartedAt;
        return command;
    }

    /// <summary>The select list and filter picking, per workflow and step, the row of the latest started run with a cache entry (schema v7's fill).</summary>
    private const string LatestFromHistory = """
        r.workflow_name, coalesce(r.workflow_path, ''), s.step_id, s.run_id, max(r.started_at)
        FROM runs AS r JOIN steps AS s ON s.run_id = r.id
        WHERE s.cache IS NOT NULL
        """;

    /// <summary>A run's workflow as cache_latest keys it (no file: an empty path), its start, and whether any step of that workflow has a place.</summary>
    private readonly record struct CacheOwner(string WorkflowName, string WorkflowPath, long StartedAt, bool HasEntries);
}
