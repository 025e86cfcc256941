using System.Collections.Concurrent;

namespace Flowline.State;

/// <summary>
/// Records one run in an <see cref="IRunWriter"/> while the engine executes it (issue #6, docs/state.md "Recording a
/// run"). Writes go through one ordered queue drained by one writer, and rows that pile up while a write is in flight
/// are committed together. Neither the scheduler nor a step waits for a step's rows (issue 15): the order of the queue
/// alone keeps the durability promise — a step's final row is queued after its dependencies' final rows, so a recorded
/// completion always has its dependencies' completions recorded before it, and a step whose completion was lost in a
/// crash runs again on resume. A step's <c>running</c> row is a hint for readers, not a guarantee. A Slurm job's handle
/// is the one write a step waits for (<see cref="SaveHandleAsync"/>), because the job must not be submitted unrecorded.
/// </summary>
/// <remarks>
/// A store failure during the run does not fail the workflow: the recorder stops recording, writes a warning to the
/// run's log and the run goes on; its record is left as it was (shown as interrupted once its heartbeat stops).
/// The work a workflow does matters more than its history, and a half-recorded run is resumable anyway.
/// </remarks>
internal sealed partial class RunRecorder : IAsyncDisposable
{
    private readonly IRunWriter _store;
    private readonly StateDirectory? _logs;
    private readonly TimeProvider _time;
    private readonly int _outputLimit;
    private readonly Action<string> _warn;
    private readonly ConcurrentDictionary<string, RunLogWriter> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _closedLogs = new(StringComparer.Ordinal);
    private readonly Lock _chainLock = new();
    private readonly Lock _writersLock = new();
    private List<Pending> _pending = [];
    private TaskCompletionSource _pendingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _writing;
    private Task _tail = Task.CompletedTask;
    private RunHeartbeat? _heartbeat;
    private int _disabled;
    private int _logsOff;

    public RunRecorder(string runId, IRunWriter store, StateDirectory? logs, int outputLimit, TimeProvider time, Action<string> warn)
    {
        RunId = runId;
        _store = store;
        _logs = logs;
        _outputLimit = outputLimit;
        _time = time;
        _warn = warn;
    }

    public string RunId { get; }

    /// <summary>False once a write failed; nothing more is recorded.</summary>
    public bool Recording => Volatile.Read(ref _disabled) == 0;

    /// <summary>The full path of the workflow's file as runs record it, or null for a workflow not read from a file.</summary>
    public static string? WorkflowPathOf(WorkflowDefinition workflow) =>
        workflow.Source?.Path is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>Records the run's start and starts its heartbeat.</summary>
    public async Task StartAsync(WorkflowDefinition workflow, ExecutionOptions options, CancellationToken cancellationToken)
    {
        var record = new RunRecord
        {
            Id = RunId,
            WorkflowName = workflow.Name,
            WorkflowVersion = workflow.Version,
            WorkflowPath = WorkflowPathOf(workflow),
            ContentHash = workflow.Source?.ContentHash,
            Variables = StateValues.ToElements(options.Variables),
            Options = RecordedOptions.Write(workflow, options),
            StartedAt = _time.GetUtcNow(),
            Origin = string.IsNullOrWhiteSpace(options.Origin) ? "library" : options.Origin,
            StartedBy = Environment.UserName,
        };

        // Which process records it, so a reader on this machine sees at once when it dies (issue 18).
        record = RunnerProcess.Stamp(record);
        await Enqueue(ct => _store.RunStartedAsync(record, ct), cancellationToken).ConfigureAwait(false);
        if (Recording)
        {
            _heartbeat = RunHeartbeat.Start(_store, RunId, RunStoreOptions.DefaultHeartbeatInterval, _time);
        }
    }

    /// <summary>
    /// Queues the step's <c>running</c> row. Nothing waits for it (issue 15): it tells readers a step is running, and a
    /// crash before it is committed leaves the step without a completion, which resume runs again anyway.
    /// </summary>
    public void StepStarting(string stepId, int parallelGroup, DateTimeOffset startTime, int attempt) =>
        _ = Enqueue(new StepRecord
        {
            RunId = RunId,
            StepId = stepId,
            Status = StepStatus.Running,
            Attempts = attempt,
            StartedAt = startTime,
            ParallelGroup = parallelGroup,
        });

    /// <summary>
    /// Queues a step's final row. <paramref name="neverRan"/> marks a step skipped because the run stopped: it is
    /// recorded as cancelled (its documented meaning, "cancelled before or while it ran") so a resume runs it.
    /// </summary>
    public void StepSettled(string stepId, StepResult result, bool neverRan)
    {
        var record = StepMapping.ToRecord(RunId, StepMapping.ToSnapshot(stepId, result, neverRan, _outputLimit)) with
        {
            FinishedAt = result.EndTime ?? _time.GetUtcNow(),
        };
        _ = Enqueue(record);

        // A settled step writes no more lines: close its file now rather than at the end of the run, so a
        // 10,000-step run does not hold 10,000 open files and their buffers (issue 7, B6). A late line reopens it.
        if (_writers.TryRemove(stepId, out var writer))
        {
            _closedLogs[stepId] = writer.Path;
            writer.Dispose();
        }
    }

    /// <summary>Queues a step's handle (issue 12); the task completes once it (and every write before it) is committed.</summary>
    public Task SaveHandleAsync(string stepId, string handle, CancellationToken cancellationToken) =>
        Enqueue(ct => _store.StepHandleAsync(RunId, stepId, handle, ct), cancellationToken);

    /// <summary>Waits for every queued write, then records the end of the run.</summary>
    public async Task FinishAsync(WorkflowResult result)
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
            _heartbeat = null;
        }

        var status = StateValues.ToRunStatus(result.Status);
        await Enqueue(ct => _store.RunFinishedAsync(RunId, status, result.Error, ct), CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
        }

        Task tail;
        lock (_chainLock)
        {
            tail = _tail;
        }

        await tail.ConfigureAwait(false);
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }
    }

    private Task Enqueue(Func<CancellationToken, Task> write, CancellationToken cancellationToken) => Enqueue(new Pending(null, write, cancellationToken));

    private Task Enqueue(StepRecord step) => Enqueue(new Pending(step, null, CancellationToken.None));

    // One writer at a time, off the scheduler's thread. Writes that pile up while one is in flight go together:
    // consecutive step rows become one transaction (group commit), which is what keeps a 1,000-step run cheap.
    private Task Enqueue(Pending pending)
    {
        lock (_chainLock)
        {
            _pending.Add(pending);
            var done = _pendingDone.Task;
            if (!_writing)
            {
                _writing = true;
                _tail = Task.Run(DrainAsync);
            }

            return done;
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Pending> batch;
            TaskCompletionSource done;
            lock (_chainLock)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _pending;
                done = _pendingDone;
                _pending = [];
                _pendingDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            var steps = new List<StepRecord>();
            foreach (var pending in batch)
            {
                if (pending.Step is { } step)
                {
                    steps.Add(step);
                    continue;
                }

                await WriteAsync(ct => _store.StepsChangedAsync([.. steps], ct), CancellationToken.None, steps.Count).ConfigureAwait(false);
                steps.Clear();
                await WriteAsync(pending.Write!, pending.CancellationToken, 1).ConfigureAwait(false);
            }

            await WriteAsync(ct => _store.StepsChangedAsync(steps, ct), CancellationToken.None, steps.Count).ConfigureAwait(false);
            done.SetResult();
        }
    }

    // Never throws: a failure turns recording off (see the class remarks), so the steps waiting on it go on.
    private async Task WriteAsync(Func<CancellationToken, Task> write, CancellationToken cancellationToken, int count)
    {
        if (count == 0 || !Recording)
        {
            return;
        }

        try
        {
            await write(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RunStoreException or OperationCanceledException)
        {
            if (Interlocked.Exchange(ref _disabled, 1) == 0)
            {
                _warn($"warning: run {RunId} is no longer recorded in the state store, the workflow goes on without it: {exception.Message}");
            }
        }
    }

    private sealed record Pending(StepRecord? Step, Func<CancellationToken, Task>? Write, CancellationToken CancellationToken);
}
