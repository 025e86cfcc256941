namespace Flowline.State;

public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, StepRecord>> GetCachedStepsAsync(string workflowName, string? workflowPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        return InTransactionAsync<IReadOnlyDictionary<string, StepRecord>>(write: false, $"reading the cached steps of workflow '{workflowName}'", transaction =>
        {
            // The latest run of each step is found on the small columns first (SQLite's bare column beside max() comes
            // from the row with the maximum), and only those rows are read whole: a long history never sorts its keys.
            using var command = Command(transaction, $"""
                WITH latest AS (
                    SELECT s.step_id AS step_id, s.run_id AS run_id, max(r.started_at) AS started
                    FROM runs AS r JOIN steps AS s ON s.run_id = r.id
                    WHERE r.workflow_name = $name AND r.workflow_path IS $path AND s.cache IS NOT NULL
                    GROUP BY s.step_id)
                SELECT {StepColumns} FROM steps JOIN latest USING (run_id, step_id);
                """);
            command.Parameters.AddWithValue("$name", workflowName);
            command.Parameters.AddWithValue("$path", (object?)workflowPath ?? DBNull.Value);
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

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, FileHash>> GetFileHashesAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var prefix = Path.TrimEndingDirectorySeparator(folder) + "/";
        return InTransactionAsync<IReadOnlyDictionary<string, FileHash>>(write: false, $"reading the content hashes of files under '{folder}'", transaction =>
        {
            // Every path under the folder sorts between "folder/" and "folder0" ('0' follows '/').
            using var command = Command(transaction, "SELECT path, size, modified, hash FROM file_hashes WHERE path >= $from AND path < $to;");
            command.Parameters.AddWithValue("$from", prefix);
            command.Parameters.AddWithValue("$to", prefix[..^1] + "0");
            using var reader = command.ExecuteReader();
            var hashes = new Dictionary<string, FileHash>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var path = reader.GetString(0);
                hashes[path] = new FileHash(path, reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
            }

            return hashes;
        }, cancellationToken);
    }
}
