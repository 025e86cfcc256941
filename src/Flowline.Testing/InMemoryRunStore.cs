using Flowline.State;

namespace Flowline.Testing;

/// <summary>
/// An <see cref="IRunStore"/> that keeps runs in memory, for tests of code that records runs. It follows the
/// same rules as <see cref="SqliteRunStore"/> (heartbeat-based interrupted status, newest first, prune never
/// deleting a live run) but has no log files, so snapshots have an empty log cursor.
/// </summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StepRecord>> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _handles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileHash> _fileHashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunCancelRequest> _cancelRequests = new(StringComparer.Ordinal);
    private readonly RunStoreOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store.</summary>
    public InMemoryRunStore(RunStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new RunStoreOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task RunStartedAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_runs.ContainsKey(run.Id))
            {
                throw new RunStoreException($"A run with id '{run.Id}' is already recorded; run ids must be unique.", "(memory)");
            }

            _runs[run.Id] = run with { Status = RunStatus.Running, FinishedAt = null, Error = null, HeartbeatAt = _timeProvider.GetUtcNow() };
            _steps[run.Id] = [];
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StepChangedAsync(StepRecord step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var steps = _steps.GetValueOrDefault(step.RunId) ?? throw UnknownRun(step.RunId);
            var index = steps.FindIndex(existing => existing.StepId == step.StepId);
            if (index >= 0)
            {
                steps[index] = step;
            }
            else
            {
                steps.Add(step);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RunFinishedAsync(string runId, RunStatus status, string? error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (status == RunStatus.Running)
        {
            throw new ArgumentException("A finished run needs a final status, not Running.", nameof(status));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            var run = _runs.GetValueOrDefault(runId) ?? throw UnknownRun(runId);
            _runs[runId] = run with { Status = status, Error = error, FinishedAt = now, HeartbeatAt = now };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task HeartbeatAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_runs.TryGetValue(runId, out var run) && run.Status == RunStatus.Running)
            {
                _runs[runId] = run with { HeartbeatAt = _timeProvider.GetUtcNow() };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var run) ? Reported(run, now) : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            var runs = NewestFirst()
                .Select(run => Reported(run, now))
                .Where(run => query.Workflow is null || run.WorkflowName == query.Workflow)
                .Where(run => query.Status is null || run.Status == query.Status);
            return Task.FromResult<IReadOnlyList<RunRecord>>([.. query.Limit > 0 ? runs.Take(query.Limit) : runs]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StepRecord>>(_steps.TryGetValue(runId, out var steps) ? [.. steps] : []);
        }
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
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var durations = NewestFirst()
                .Where(run => run.WorkflowName == workflowName && run.WorkflowPath == workflowPath)
                .Take(runs)
                .SelectMany(run => _steps[run.Id])
                .Where(step => step is { Status: StepStatus.Completed, StartedAt: { } start, FinishedAt: { } end } && end >= start)
                .GroupBy(step => step.StepId, StringComparer.Ordinal)
                .ToDictionary(
                    group => group.Key,
                    group => Median([.. group.Select(step => step.FinishedAt!.Value - step.StartedAt!.Value).Order()]),
                    StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyDictionary<string, TimeSpan>>(durations);
        }

        static TimeSpan Median(TimeSpan[] sorted) =>
            sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <inheritdoc />
    public Task StepHandleAsync(string runId, string stepId, string handle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_runs.ContainsKey(runId))
            {
                throw new RunStoreException($"Run {runId} is not in the store; record its start first.", "(memory)");
            }

            if (!_handles.TryGetValue(runId, out var handles))
            {
                _handles[runId] = handles = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            handles[stepId] = handle;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetStepHandlesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(
                _handles.TryGetValue(runId, out var handles) ? new Dictionary<string, string>(handles, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, StepRecord>> GetCachedStepsAsync(string workflowName, string? workflowPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            // The latest row whose step ran; an up-to-date copy only where none is left (as IRunReader says).
            var latest = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            var copies = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
            foreach (var run in NewestFirst().Where(run => run.WorkflowName == workflowName && run.WorkflowPath == workflowPath))
            {
                foreach (var step in _steps[run.Id])
                {
                    if (step.Cache is { UpToDate: true, FromRun: not null })
                    {
                        copies.TryAdd(step.StepId, step);
                    }
                    else if (step.Cache is not null)
                    {
                        latest.TryAdd(step.StepId, step);
                    }
                }
            }

            foreach (var (stepId, copy) in copies)
            {
                latest.TryAdd(stepId, copy);
            }

            return Task.FromResult<IReadOnlyDictionary<string, StepRecord>>(latest);
        }
    }

    /// <inheritdoc />
    public Task FileHashesAsync(IReadOnlyList<FileHash> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var hash in hashes)
            {
                _fileHashes[hash.Path] = hash;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, FileHash>> GetFileHashesAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        cancellationToken.ThrowIfCancellationRequested();
        var prefix = Path.TrimEndingDirectorySeparator(folder) + "/";
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, FileHash>>(
                _fileHashes.Values.Where(hash => hash.Path.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(hash => hash.Path, StringComparer.Ordinal));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> PruneAsync(RunPruneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            var doomed = NewestFirst()
                .Where((run, index) =>
                    Reported(run, now).Status != RunStatus.Running
                    && ((options.Keep is { } keep && index >= keep) || (options.OlderThan is { } age && run.StartedAt < now - age)))
                .Select(run => run.Id)
                .ToList();
            foreach (var runId in doomed)
            {
                _runs.Remove(runId);
                _steps.Remove(runId);
                _handles.Remove(runId);
                _cancelRequests.Remove(runId);
            }

            return Task.FromResult<IReadOnlyList<string>>(doomed);
        }
    }

    /// <inheritdoc />
    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(requestedBy);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var run) || run.Status != RunStatus.Running)
            {
                return Task.FromResult(false);
            }

            _cancelRequests.TryAdd(runId, new RunCancelRequest(_timeProvider.GetUtcNow(), requestedBy));
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<RunCancelRequest?> GetCancelRequestAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_cancelRequests.GetValueOrDefault(runId));
        }
    }

    /// <inheritdoc />
    public Task<WorkflowSnapshot?> LoadSnapshotAsync(string runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var run)
                ? RunHistory.ToSnapshot(Reported(run, now), [.. _steps[runId]], new Dictionary<string, long>(StringComparer.Ordinal), now)
                : null);
        }
    }

    private IEnumerable<RunRecord> NewestFirst() =>
        _runs.Values.OrderByDescending(run => run.StartedAt).ThenByDescending(run => run.Id, StringComparer.Ordinal);

    private RunRecord Reported(RunRecord run, DateTimeOffset now) =>
        run with { Status = RunHistory.ReportedStatus(run, now, _options.HeartbeatTimeout) };

    private static RunStoreException UnknownRun(string runId) =>
        new($"No run with id '{runId}' is recorded; record it with RunStartedAsync first.", "(memory)");
}
