namespace Flowline.State;

/// <summary>Builds a <see cref="WorkflowSnapshot"/> from a store's rows; shared by the stores.</summary>
internal static class SnapshotBuilder
{
    public static WorkflowSnapshot Build(
        RunRecord run,
        IReadOnlyList<StepRecord> steps,
        IReadOnlyDictionary<string, long> logCursor,
        DateTimeOffset takenAt) => new()
        {
            RunId = run.Id,
            WorkflowName = run.WorkflowName,
            WorkflowVersion = run.WorkflowVersion,
            WorkflowPath = run.WorkflowPath,
            ContentHash = run.ContentHash,
            Variables = run.Variables,
            Options = run.Options,
            Status = run.Status,
            Steps = [.. steps.Select(StepMapping.ToSnapshot)],
            LogCursor = logCursor,
            TakenAt = takenAt,
        };

    /// <summary>The reported status: a running run whose heartbeat is older than the timeout is interrupted.</summary>
    public static RunStatus Effective(RunStatus stored, DateTimeOffset? heartbeatAt, DateTimeOffset now, TimeSpan heartbeatTimeout) =>
        stored == RunStatus.Running && heartbeatAt is { } beat && now - beat > heartbeatTimeout ? RunStatus.Interrupted : stored;
}
