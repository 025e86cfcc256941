using Microsoft.Data.Sqlite;

namespace Flowline.State;

public sealed partial class SqliteRunStore
{
    private const string RunColumns =
        "id, workflow_name, workflow_version, workflow_path, content_hash, variables, options, status, started_at, finished_at, heartbeat_at, error, host, pid, pid_start, origin, started_by";

    private const string StepColumns =
        "run_id, step_id, status, attempts, started_at, finished_at, output, error, parallel_group, exit_code, outputs, cache";

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var now = _timeProvider.GetUtcNow();
        return InTransactionAsync(write: false, $"reading run {runId}", transaction => ReadRun(transaction, runId, now), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _timeProvider.GetUtcNow();
        return InTransactionAsync<IReadOnlyList<RunRecord>>(write: false, "listing runs", transaction =>
        {
            // The status filter matches the reported status. Whether a run is still running or interrupted depends on
            // its heartbeat and, on this machine, on whether its process lives: so every run row that says running is
            // read, the rule applied to each (RunHistory.ReportedStatus), and the limit after that.
            var live = query.Status is RunStatus.Running or RunStatus.Interrupted;
            var statusFilter = query.Status switch
            {
                null => "1",
                RunStatus.Running or RunStatus.Interrupted => "status IN ('running', 'interrupted')",
                _ => "status = $status",
            };
            using var command = Command(transaction, $"""
                SELECT {RunColumns} FROM runs
                WHERE ($workflow IS NULL OR workflow_name = $workflow) AND {statusFilter}
                ORDER BY started_at DESC, id DESC
                LIMIT $limit;
                """);
            command.Parameters.AddWithValue("$workflow", (object?)query.Workflow ?? DBNull.Value);
            command.Parameters.AddWithValue("$status", query.Status is { } status ? StateText.ToText(status) : DBNull.Value);
            command.Parameters.AddWithValue("$limit", query.Limit > 0 && !live ? query.Limit : -1);
            using var reader = command.ExecuteReader();
            var runs = new List<RunRecord>();
            while (reader.Read() && (query.Limit <= 0 || runs.Count < query.Limit))
            {
                var run = ToRun(reader, now);
                if (!live || run.Status == query.Status)
                {
                    runs.Add(run);
                }
            }

            return runs;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return InTransactionAsync<IReadOnlyList<StepRecord>>(write: false, $"reading the steps of run {runId}", transaction => ReadSteps(transaction, runId), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetStepHandlesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return InTransactionAsync<IReadOnlyDictionary<string, string>>(write: false, $"reading the step handles of run {runId}", transaction =>
        {
            using var command = Command(transaction, "SELECT step_id, handle FROM step_handles WHERE run_id = $id;");
            command.Parameters.AddWithValue("$id", runId);
            using var reader = command.ExecuteReader();
            var handles = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                handles[reader.GetString(0)] = reader.GetString(1);
            }

            return handles;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, TimeSpan>> GetStepDurationsAsync(
        string workflowName,
        string? workflowPath,
        int runs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        return InTransactionAsync<IReadOnlyDictionary<string, TimeSpan>>(write: false, $"reading the step durations of workflow '{workflowName}'", transaction =>
        {
            // Sorted by step, so each step's durations arrive together and one buffer serves every median.
            using var command = Command(transaction, """
                SELECT s.step_id, s.finished_at - s.started_at
                FROM (SELECT id FROM runs
                      WHERE workflow_name = $name AND workflow_path IS $path
                      ORDER BY started_at DESC, id DESC
                      LIMIT $runs) AS r
                JOIN steps AS s ON s.run_id = r.id
                WHERE s.status = 'completed' AND s.started_at IS NOT NULL AND s.finished_at >= s.started_at
                ORDER BY s.step_id, 2;
                """);
            command.Parameters.AddWithValue("$name", workflowName);
            command.Parameters.AddWithValue("$path", (object?)workflowPath ?? DBNull.Value);
            command.Parameters.AddWithValue("$runs", runs);
            using var reader = command.ExecuteReader();
            var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            var sorted = new List<long>(runs);
            string? current = null;
            while (reader.Read())
            {
                var stepId = reader.GetString(0);
                if (current is not null && !string.Equals(stepId, current, StringComparison.Ordinal))
                {
                    durations[current] = Median(sorted);
                    sorted.Clear();
                }

                current = stepId;
                sorted.Add(reader.GetInt64(1));
            }

            if (current is not null)
            {
                durations[current] = Median(sorted);
            }

            return durations;
        }, cancellationToken);

        static TimeSpan Median(List<long> sorted) => TimeSpan.FromMilliseconds(
            sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0);
    }

    /// <inheritdoc />
    public async Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var now = _timeProvider.GetUtcNow();
        var rows = await InTransactionAsync(write: false, $"reading run {runId}", transaction =>
            ReadRun(transaction, runId, now) is { } run ? (run, ReadSteps(transaction, runId)) : default((RunRecord Run, IReadOnlyList<StepRecord> Steps)?),
            cancellationToken).ConfigureAwait(false);
        if (rows is not { } found)
        {
            return null;
        }

        var cursor = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var step in found.Steps)
        {
            var log = new FileInfo(Directory.StepLogPath(runId, step.StepId));
            if (log.Exists)
            {
                cursor[step.StepId] = log.Length;
            }
        }

        return RunHistory.ToSnapshot(found.Run, found.Steps, cursor, now);
    }

    private RunRecord? ReadRun(SqliteTransaction transaction, string runId, DateTimeOffset now)
    {
        using var command = Command(transaction, $"SELECT {RunColumns} FROM runs WHERE id = $id;");
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToRun(reader, now) : null;
    }

    private List<StepRecord> ReadSteps(SqliteTransaction transaction, string runId)
    {
        // rowid is kept by the upsert, so it is the order steps were first recorded.
        using var command = Command(transaction, $"SELECT {StepColumns} FROM steps WHERE run_id = $id ORDER BY rowid;");
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        var steps = new List<StepRecord>();
        while (reader.Read())
        {
            steps.Add(ToStep(reader));
        }

        return steps;
    }

    private static StepRecord ToStep(SqliteDataReader reader) => new()
    {
        RunId = reader.GetString(0),
        StepId = reader.GetString(1),
        Status = StateText.ToStepStatus(reader.GetString(2)),
        Attempts = reader.GetInt32(3),
        StartedAt = OptionalTime(reader, 4),
        FinishedAt = OptionalTime(reader, 5),
        Output = reader.IsDBNull(6) ? null : StateText.ElementFromJson(reader.GetString(6)),
        Error = OptionalText(reader, 7),
        ParallelGroup = ParallelGroupText.FromText(OptionalText(reader, 8)),
        ExitCode = reader.IsDBNull(9) ? null : reader.GetInt32(9),
        Outputs = reader.IsDBNull(10) ? EmptyMap<string>.Instance : StateText.TextMapFromJson(reader.GetString(10)),
        Cache = reader.IsDBNull(11) ? null : StateText.CacheFromJson(reader.GetString(11)),
    };

    private RunRecord ToRun(SqliteDataReader reader, DateTimeOffset now)
    {
        var heartbeat = StateText.FromMilliseconds(reader.GetInt64(10));
        var run = new RunRecord
        {
            Id = reader.GetString(0),
            WorkflowName = reader.GetString(1),
            WorkflowVersion = reader.GetString(2),
            WorkflowPath = OptionalText(reader, 3),
            ContentHash = OptionalText(reader, 4),
            Variables = StateText.MapFromJson(reader.GetString(5)),
            Options = StateText.MapFromJson(reader.GetString(6)),
            Status = StateText.ToRunStatus(reader.GetString(7)),
            StartedAt = StateText.FromMilliseconds(reader.GetInt64(8)),
            FinishedAt = OptionalTime(reader, 9),
            HeartbeatAt = heartbeat,
            Error = OptionalText(reader, 11),
            Host = OptionalText(reader, 12),
            ProcessId = reader.IsDBNull(13) ? null : reader.GetInt32(13),
            ProcessStartTime = reader.IsDBNull(14) ? null : reader.GetInt64(14),
            Origin = OptionalText(reader, 15),
            StartedBy = OptionalText(reader, 16),
        };
        return run with { Status = RunHistory.ReportedStatus(run, now, _options.HeartbeatTimeout) };
    }

    private static string? OptionalText(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? OptionalTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : StateText.FromMilliseconds(reader.GetInt64(ordinal));
}
