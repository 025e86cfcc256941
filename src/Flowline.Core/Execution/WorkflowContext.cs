namespace Flowline;

/// <summary>The state of one run that outlives it: identity, variables and a bounded log (spec "Reports").</summary>
public sealed partial class WorkflowContext
{
    private readonly Queue<LogEntry> _logs = new();
    private readonly Lock _logLock = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _capacity;
    private readonly Action<LogEntry> _onLog;
    private readonly Scheduling.RunSnapshots _snapshots;
    private readonly Execution.Secrets.SecretMasker _masker;
    private long _dropped;

    internal WorkflowContext(
        string runId,
        WorkflowDefinition workflow,
        IReadOnlyDictionary<string, object?> variables,
        string workingDirectory,
        TimeProvider timeProvider,
        int logCapacity,
        Action<LogEntry> onLog,
        Scheduling.RunSnapshots snapshots,
        Execution.Secrets.SecretMasker masker)
    {
        _snapshots = snapshots;
        _masker = masker;
        RunId = runId;
        Workflow = workflow;
        Variables = variables;
        WorkingDirectory = workingDirectory;
        _timeProvider = timeProvider;
        _capacity = Math.Max(0, logCapacity);
        _onLog = onLog;
    }

    /// <summary>The run's id (<c>FLOWLINE_RUN_ID</c>).</summary>
    public string RunId { get; }

    /// <summary>The workflow being run.</summary>
    public WorkflowDefinition Workflow { get; }

    /// <summary>The runtime variables the run was given.</summary>
    public IReadOnlyDictionary<string, object?> Variables { get; }

    /// <summary>The folder steps run in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>How many of the oldest lines were dropped to respect <see cref="ExecutionOptions.LogCapacity"/>.</summary>
    public long DroppedLogLines => Interlocked.Read(ref _dropped);

    /// <summary>A copy of the kept log lines, oldest first. Safe to call while the run goes on.</summary>
    public IReadOnlyList<LogEntry> GetLogs()
    {
        lock (_logLock)
        {
            return [.. _logs];
        }
    }

    internal void Write(string? stepId, LogStream stream, string text)
    {
        // One entry per line so a live view never receives a half-line or a block.
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            foreach (var line in text.Split('\n'))
            {
                WriteLine(stepId, stream, line.TrimEnd('\r'));
            }

            return;
        }

        WriteLine(stepId, stream, text);
    }

    /// <summary>The run's masker: every line written here, and every settled result, goes through it (issue 13).</summary>
    internal Execution.Secrets.SecretMasker Masker => _masker;

    private void WriteLine(string? stepId, LogStream stream, string line)
    {
        // The one choke point for log text (live view, plain output, step log files, LogReceived): a step's own
        // ::add-mask:: line adds a mask and is not shown; every line is masked. Without secrets, a prefix test per line.
        if (stream != LogStream.Info && _masker.TryAddMaskCommand(line))
        {
            return;
        }

        line = _masker.Apply(line);
        var entry = new LogEntry(_timeProvider.GetUtcNow(), stepId, stream, line);
        lock (_logLock)
        {
            _logs.Enqueue(entry);
            if (_logs.Count > _capacity)
            {
                _logs.Dequeue();
                _dropped++;
            }
        }

        _onLog(entry);
    }
}
