using Microsoft.Data.Sqlite;

namespace Flowline.State;

public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = StateText.ToMilliseconds(_timeProvider.GetUtcNow());
        return InTransactionAsync(write: true, $"recording the start of run {run.Id}", transaction =>
        {
            using var command = Command(transaction, """
                INSERT INTO runs (id, workflow_name, workflow_version, workflow_path, content_hash, variables, options, status, started_at, heartbeat_at, host, pid, pid_start, origin, started_by)
                VALUES ($id, $name, $version, $path, $hash, $variables, $options, 'running', $started, $now, $host, $pid, $pid_start, $origin, $started_by);
                """);
            command.Parameters.AddWithValue("$id", run.Id);
            command.Parameters.AddWithValue("$name", run.WorkflowName);
            command.Parameters.AddWithValue("$version", run.WorkflowVersion);
            command.Parameters.AddWithValue("$path", (object?)run.WorkflowPath ?? DBNull.Value);
            command.Parameters.AddWithValue("$hash", (object?)run.ContentHash ?? DBNull.Value);
            command.Parameters.AddWithValue("$variables", StateText.ToJson(run.Variables));
            command.Parameters.AddWithValue("$options", StateText.ToJson(run.Options));
            command.Parameters.AddWithValue("$started", StateText.ToMilliseconds(run.StartedAt));
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$host", (object?)run.Host ?? DBNull.Value);
            command.Parameters.AddWithValue("$pid", (object?)run.ProcessId ?? DBNull.Value);
            command.Parameters.AddWithValue("$pid_start", (object?)run.ProcessStartTime ?? DBNull.Value);
            command.Parameters.AddWithValue("$origin", (object?)run.Origin ?? DBNull.Value);
            command.Parameters.AddWithValue("$started_by", (object?)run.StartedBy ?? DBNull.Value);
            try
            {
                return command.ExecuteNonQuery();
            }
            catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
            {
                throw new RunStoreException($"A run with id '{run.Id}' is already recorded in '{DatabasePath}'; run ids must be unique.", DatabasePath, exception);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return StepsChangedAsync([step], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One transaction and one prepared statement for the whole batch.</remarks>
    public Task StepsChangedAsync(IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            return Task.CompletedTask;
        }

        var operation = steps.Count == 1 ? $"recording step {steps[0].StepId} of run {steps[0].RunId}" : $"recording {steps.Count} step changes of run {steps[0].RunId}";
        return InTransactionAsync(write: true, operation, transaction =>
        {
            var runs = new Dictionary<string, CacheOwner>(StringComparer.Ordinal);
            foreach (var runId in steps.Select(s => s.RunId).Distinct(StringComparer.Ordinal))
            {
                runs[runId] = CacheOwnerOf(transaction, runId);
            }

            using var command = Command(transaction, """
                INSERT INTO steps (run_id, step_id, status, attempts, started_at, finished_at, output, error, parallel_group, exit_code, outputs, cache)
                VALUES ($run, $step, $status, $attempts, $started, $finished, $output, $error, $group, $exit, $outputs, $cache)
                ON CONFLICT (run_id, step_id) DO UPDATE SET
                    status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, output = excluded.output, error = excluded.error,
                    parallel_group = excluded.parallel_group, exit_code = excluded.exit_code, outputs = excluded.outputs,
                    cache = excluded.cache;
                """);
            string[] names = ["$run", "$step", "$status", "$attempts", "$started", "$finished", "$output", "$error", "$group", "$exit", "$outputs", "$cache"];
            var parameters = names.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            var changed = 0;
            foreach (var step in steps)
            {
                parameters[0].Value = step.RunId;
                parameters[1].Value = step.StepId;
                parameters[2].Value = StateText.ToText(step.Status);
                parameters[3].Value = step.Attempts;
                parameters[4].Value = step.StartedAt is { } started ? StateText.ToMilliseconds(started) : DBNull.Value;
                parameters[5].Value = step.FinishedAt is { } finished ? StateText.ToMilliseconds(finished) : DBNull.Value;
                parameters[6].Value = step.Output is { } output ? StateText.ToJson(output) : DBNull.Value;
                parameters[7].Value = (object?)step.Error ?? DBNull.Value;
                parameters[8].Value = (object?)ParallelGroupText.ToText(step.ParallelGroup) ?? DBNull.Value;
                parameters[9].Value = step.ExitCode is { } exit ? exit : DBNull.Value;
                parameters[10].Value = step.Outputs.Count > 0 ? StateText.ToJson(step.Outputs) : DBNull.Value;
                parameters[11].Value = step.Cache is { } cache ? StateText.ToJson(StoredCache(cache)) : DBNull.Value;
                changed += command.ExecuteNonQuery();
            }

            KeepLatestCacheEntries(transaction, steps, runs);
            return changed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (status == RunStatus.Running)
        {
            throw new ArgumentException("A finished run needs a final status, not Running.", nameof(status));
        }

        var now = StateText.ToMilliseconds(_timeProvider.GetUtcNow());
        return InTransactionAsync(write: true, $"recording the end of run {runId}", transaction =>
        {
            using var command = Command(transaction, """
                UPDATE runs SET status = $status, finished_at = $now, heartbeat_at = $now, error = $error WHERE id = $id;
                """);
            command.Parameters.AddWithValue("$id", runId);
            command.Parameters.AddWithValue("$status", StateText.ToText(status));
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            return command.ExecuteNonQuery() == 1 ? 1 : throw UnknownRun(runId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task StepHandleAsync(string runId, string stepId, string handle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        ArgumentNullException.ThrowIfNull(handle);
        var now = StateText.ToMilliseconds(_timeProvider.GetUtcNow());
        return InTransactionAsync(write: true, $"recording the handle of step '{stepId}' of run {runId}", transaction =>
        {
            ThrowIfUnknownRun(transaction, runId);
            using var command = Command(transaction, """
                INSERT INTO step_handles (run_id, step_id, handle, updated_at) VALUES ($run, $step, $handle, $now)
                ON CONFLICT (run_id, step_id) DO UPDATE SET handle = excluded.handle, updated_at = excluded.updated_at;
                """);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$step", stepId);
            command.Parameters.AddWithValue("$handle", handle);
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One transaction and one prepared statement for the whole batch.</remarks>
    public Task FileHashesAsync(IReadOnlyList<FileHash> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return Task.CompletedTask;
        }

        return InTransactionAsync(write: true, $"keeping the content hashes of {hashes.Count} files", transaction =>
        {
            using var command = Command(transaction, """
                INSERT INTO file_hashes (path, size, modified, hash) VALUES ($path, $size, $modified, $hash)
                ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified = excluded.modified, hash = excluded.hash;
                """);
            var path = command.Parameters.Add("$path", SqliteType.Text);
            var size = command.Parameters.Add("$size", SqliteType.Integer);
            var modified = command.Parameters.Add("$modified", SqliteType.Integer);
            var hash = command.Parameters.Add("$hash", SqliteType.Text);
            var changed = 0;
            foreach (var file in hashes)
            {
                path.Value = file.Path;
                size.Value = file.Size;
                modified.Value = file.ModifiedTicks;
                hash.Value = file.Hash;
                changed += command.ExecuteNonQuery();
            }

            return changed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A heartbeat for an unknown or finished run changes nothing, so a late timer tick is harmless.</remarks>
    public Task HeartbeatAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var now = StateText.ToMilliseconds(_timeProvider.GetUtcNow());
        return InTransactionAsync(write: true, $"recording a heartbeat of run {runId}", transaction =>
        {
            using var command = Command(transaction, "UPDATE runs SET heartbeat_at = $now WHERE id = $id AND status = 'running';");
            command.Parameters.AddWithValue("$id", runId);
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Log folders are deleted after the rows are committed; a folder that cannot be deleted is left behind.</remarks>
    public async Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keep is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Keep, "Keep must be zero or more.");
        }

        var now = _timeProvider.GetUtcNow();
        var liveSince = StateText.ToMilliseconds(now - _options.HeartbeatTimeout);
        long? startedBefore = options.OlderThan is { } age ? StateText.ToMilliseconds(now - age) : null;

        var deleted = await InTransactionAsync(write: true, "pruning runs", transaction =>
        {
            var doomed = new List<string>();
            using (var select = Command(transaction, "SELECT id, started_at, status, heartbeat_at FROM runs ORDER BY started_at DESC, id DESC;"))
            using (var reader = select.ExecuteReader())
            {
                for (var index = 0; reader.Read(); index++)
                {
                    var live = reader.GetString(2) == "running" && reader.GetInt64(3) >= liveSince;
                    var beyondKeep = options.Keep is { } keep && index >= keep;
                    var tooOld = startedBefore is { } cutoff && reader.GetInt64(1) < cutoff;
                    if (!live && (beyondKeep || tooOld))
                    {
                        doomed.Add(reader.GetString(0));
                    }
                }
            }

            using var delete = Command(transaction, "DELETE FROM step_handles WHERE run_id = $id; DELETE FROM steps WHERE run_id = $id; DELETE FROM runs WHERE id = $id;");
            var id = delete.Parameters.Add("$id", SqliteType.Text);
            foreach (var runId in doomed)
            {
                id.Value = runId;
                delete.ExecuteNonQuery();
            }

            if (doomed.Count > 0)
            {
                RefillLatestCacheEntries(transaction);
            }

            return doomed;
        }, cancellationToken).ConfigureAwait(false);

        foreach (var runId in deleted)
        {
            DeleteLogs(runId);
        }

        return deleted;
    }

    private void DeleteLogs(string runId)
    {
        try
        {
            var folder = Directory.RunLogDirectory(runId);
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The run is already gone from the database; a leftover log folder is harmless and deletable by hand.
        }
    }

    private void ThrowIfUnknownRun(SqliteTransaction transaction, string runId)
    {
        using var command = Command(transaction, "SELECT 1 FROM runs WHERE id = $id;");
        command.Parameters.AddWithValue("$id", runId);
        if (command.ExecuteScalar() is null)
        {
            throw UnknownRun(runId);
        }
    }

    private RunStoreException UnknownRun(string runId) =>
        new($"No run with id '{runId}' is recorded in '{DatabasePath}'; record it with RunStartedAsync first.", DatabasePath);
}
