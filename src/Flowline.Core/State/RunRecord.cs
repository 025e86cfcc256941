using System.Text.Json;

namespace Flowline.State;

/// <summary>
/// One run as a store records it (issue #6). The engine builds one when a run starts; queries return it
/// with <see cref="Status"/> already resolved to <see cref="RunStatus.Interrupted"/> when the heartbeat stopped.
/// </summary>
public sealed record RunRecord
{
    /// <summary>The run id: a ULID, so ordinal order is start order.</summary>
    public required string Id { get; init; }

    /// <summary>The workflow's <c>name</c>.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The workflow's <c>version</c>.</summary>
    public required string WorkflowVersion { get; init; }

    /// <summary>The workflow file's path; null when the definition was built in code.</summary>
    public string? WorkflowPath { get; init; }

    /// <summary>Lower-case hex XXH128 of the workflow file's text; null when built in code.</summary>
    public string? ContentHash { get; init; }

    /// <summary>The run's variables after defaults and overrides.</summary>
    public IReadOnlyDictionary<string, JsonElement> Variables { get; init; } = EmptyMap<JsonElement>.Instance;

    /// <summary>The run options worth replaying on resume (max concurrency, dry run…).</summary>
    public IReadOnlyDictionary<string, JsonElement> Options { get; init; } = EmptyMap<JsonElement>.Instance;

    /// <summary>The run's status.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run finished; null while running or when interrupted.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The last heartbeat the store received; set by the store.</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>Why the run failed.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The machine that records the run (machine id, boot id and pid namespace); null when the run was recorded by a
    /// Flowline that did not write it, or where processes cannot be told apart. Set by the engine.
    /// </summary>
    public string? Host { get; init; }

    /// <summary>The pid of the process that records the run, on <see cref="Host"/>.</summary>
    public int? ProcessId { get; init; }

    /// <summary>
    /// When that process started, in clock ticks after boot (<c>/proc/PID/stat</c> field 22): with
    /// <see cref="ProcessId"/> it names one process, so a reused pid is not mistaken for the runner.
    /// </summary>
    public long? ProcessStartTime { get; init; }

    /// <summary>
    /// What started the run (issue 17): <c>cli run</c>, <c>cli resume</c>, <c>mcp</c>, <c>dashboard</c>, or what a
    /// library caller put in <see cref="ExecutionOptions.Origin"/> (<c>library</c> by default); null for a run recorded
    /// before Flowline kept it.
    /// </summary>
    public string? Origin { get; init; }

    /// <summary>The operating-system user the recording process ran as; null for a run recorded before Flowline kept it.</summary>
    public string? StartedBy { get; init; }

    /// <summary>
    /// A new run id: a ULID, so ids sort by start time. The engine makes one when <see cref="ExecutionOptions.RunId"/>
    /// is not set; a host makes one first to announce the run before it starts, as <c>flowline run</c> does.
    /// </summary>
    public static string NewId() => UlidGenerator.Shared.NewId();
}
