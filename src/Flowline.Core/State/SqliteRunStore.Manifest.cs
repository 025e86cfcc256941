using Flowline.Caching;

namespace Flowline.State;

public sealed partial class SqliteRunStore
{
    /// <summary>
    /// The manifest of the latest run of the workflow file at <paramref name="workflowPath"/> in which every step was up
    /// to date (issue 14, <see cref="RunManifest"/>), with that run's id; null when there is none or it cannot be read.
    /// </summary>
    internal Task<(string RunId, RunManifest Manifest)?> GetRunManifestAsync(string workflowPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowPath);
        return InTransactionAsync<(string RunId, RunManifest Manifest)?>(write: false, $"reading the up-to-date manifest of '{workflowPath}'", transaction =>
        {
            using var command = Command(transaction, "SELECT run_id, manifest FROM run_manifests WHERE workflow_path = $path;");
            command.Parameters.AddWithValue("$path", workflowPath);
            using var reader = command.ExecuteReader();
            return reader.Read() && RunManifest.FromBytes((byte[])reader.GetValue(1)) is { } manifest ? (reader.GetString(0), manifest) : null;
        }, cancellationToken);
    }

    /// <summary>Keeps <paramref name="manifest"/> as the one of <paramref name="workflowPath"/>, made by run <paramref name="runId"/>.</summary>
    internal Task SaveRunManifestAsync(string workflowPath, string runId, RunManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowPath);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(manifest);
        var bytes = manifest.ToBytes();
        return InTransactionAsync(write: true, $"keeping the up-to-date manifest of '{workflowPath}'", transaction =>
        {
            using var command = Command(transaction, """
                INSERT INTO run_manifests (workflow_path, run_id, manifest) VALUES ($path, $run, $manifest)
                ON CONFLICT (workflow_path) DO UPDATE SET run_id = excluded.run_id, manifest = excluded.manifest;
                """);
            command.Parameters.AddWithValue("$path", workflowPath);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$manifest", bytes);
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <summary>
    /// Records run <paramref name="runId"/> as a completed copy of run <paramref name="fromRunId"/>, every step as it was
    /// there (each up to date, pointing at the run that made its outputs), started and finished now, in one
    /// transaction; null when <paramref name="fromRunId"/> is no longer a completed run. The copies do not take their
    /// steps' place in cache_latest, as an up-to-date step's row never does.
    /// </summary>
    /// <param name="fromRunId">The run whose manifest still holds.</param>
    /// <param name="runId">The new run's id.</param>
    /// <param name="origin">What started it (<see cref="RunRecord.Origin"/>).</param>
    /// <param name="startedAt">When the command began; the run ends now.</param>
    /// <param name="readSteps">Whether to read the new run's steps back (else the list is empty: a one-line summary needs none).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    internal Task<(RunRecord Run, IReadOnlyList<StepRecord> Steps)?> RecordUpToDateRunAsync(string fromRunId, string runId, string origin, DateTimeOffset startedAt, bool readSteps = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromRunId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var now = _timeProvider.GetUtcNow();
        var nowMs = StateText.ToMilliseconds(now);
        return InTransactionAsync<(RunRecord Run, IReadOnlyList<StepRecord> Steps)?>(write: true, $"recording run {runId}, up to date like run {fromRunId}", transaction =>
        {
            using (var run = Command(transaction, """
                INSERT INTO runs (id, workflow_name, workflow_version, workflow_path, content_hash, variables, options, status, started_at, finished_at, heartbeat_at, origin, started_by)
                SELECT $id, workflow_name, workflow_version, workflow_path, content_hash, variables, options, 'completed', min($started, $now), $now, $now, $origin, $user
                FROM runs WHERE id = $from AND status = 'completed';
                """))
            {
                run.Parameters.AddWithValue("$id", runId);
                run.Parameters.AddWithValue("$from", fromRunId);
                run.Parameters.AddWithValue("$now", nowMs);
                run.Parameters.AddWithValue("$started", StateText.ToMilliseconds(startedAt));
                run.Parameters.AddWithValue("$origin", origin);
                run.Parameters.AddWithValue("$user", Environment.UserName);
                if (run.ExecuteNonQuery() == 0)
                {
                    return null;
                }
            }

            using (var steps = Command(transaction, """
                INSERT INTO steps (run_id, step_id, status, attempts, started_at, finished_at, output, error, parallel_group, exit_code, outputs, cache)
                SELECT $id, step_id, status, attempts, $now, $now, output, error, parallel_group, exit_code, outputs, cache
                FROM steps WHERE run_id = $from ORDER BY rowid;
                """))
            {
                steps.Parameters.AddWithValue("$id", runId);
                steps.Parameters.AddWithValue("$from", fromRunId);
                steps.Parameters.AddWithValue("$now", nowMs);
                steps.ExecuteNonQuery();
            }

            return ReadRun(transaction, runId, now) is { } recorded ? (recorded, readSteps ? ReadSteps(transaction, runId) : []) : null;
        }, cancellationToken);
    }
}
