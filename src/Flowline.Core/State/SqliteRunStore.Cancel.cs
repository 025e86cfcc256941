namespace Flowline.State;

public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    /// <remarks>The first request is kept: asking again does not move its time or change who asked.</remarks>
    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(requestedBy);
        var now = StateText.ToMilliseconds(_timeProvider.GetUtcNow());
        return InTransactionAsync(write: true, $"requesting the cancellation of run {runId}", transaction =>
        {
            using var command = Command(transaction, """
                UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, $now), cancel_requested_by = coalesce(cancel_requested_by, $by)
                WHERE id = $id AND status = 'running';
                """);
            command.Parameters.AddWithValue("$id", runId);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$by", requestedBy);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One row read by its primary key: cheap enough for the engine to ask twice a second while a run goes on.</remarks>
    public Task<RunCancelRequest?> GetCancelRequestAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return InTransactionAsync(write: false, $"reading whether run {runId} was asked to stop", transaction =>
        {
            using var command = Command(transaction, "SELECT cancel_requested_at, cancel_requested_by FROM runs WHERE id = $id AND cancel_requested_at IS NOT NULL;");
            command.Parameters.AddWithValue("$id", runId);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new RunCancelRequest(StateText.FromMilliseconds(reader.GetInt64(0)), reader.IsDBNull(1) ? "unknown" : reader.GetString(1))
                : null;
        }, cancellationToken);
    }
}
