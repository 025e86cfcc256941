using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Flowline.Execution;
using Flowline.Graph;

namespace Flowline.Scheduling;

/// <summary>
/// One execution of a workflow: the plan (built once in the constructor), the eager scheduler loop and the live state
/// that <see cref="WorkflowRunner"/> reports from other threads. See docs/scheduling.md for the rules.
/// </summary>
/// <remarks>
/// Threading: everything not marked "shared" is touched only by the scheduler loop, which runs on one logical thread
/// at a time (the caller of <see cref="RunAsync"/>, then thread-pool continuations of the completion channel).
/// </remarks>
internal sealed partial class WorkflowRun : IStepRunState
{
    private const int NoPool = -1;
    private const int Unlimited = int.MaxValue;

    private readonly WorkflowRunner _runner;
    private readonly ExecutionOptions _options;
    private readonly TimeProvider _time;
    private readonly IStepPreparation _preparation;
    private readonly IReadOnlyList<WorkflowStep> _steps;
    private readonly WorkflowGraph _graph;
    private readonly string? _planError;
    private readonly StepExecutor[] _executors;
    private readonly int[] _levels;
    private readonly long[] _priorities;
    private readonly int[] _pools;
    private readonly int[] _limits;
    private readonly bool[] _isolated;
    private readonly bool[] _runsAfterFailure;
    private readonly bool[] _startedAfterStop;
    private readonly TimeSpan?[] _stepTimeouts;
    private readonly ResourcePool[] _resourcePools;
    private readonly int _globalLimit;
    private readonly int _totalGroups;
    private readonly TimeSpan? _workflowTimeout;
    private readonly StepExecutionContext.RunValues _stepValues;

    // Scheduler-loop state.
    private readonly int[] _remaining;
    private readonly PriorityQueue<int, long> _ready = new();
    private readonly SortedDictionary<int, int> _runningLimits = [];
    private readonly DateTimeOffset[] _startTimes;
    private readonly CancellationTokenSource?[] _timeoutSources;
    private readonly CancellationTokenSource?[] _linkedSources;
    private readonly Channel<InFlight> _completions = Channel.CreateUnbounded<InFlight>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly List<int> _untoleratedFailures = [];
    private int _running;
    private int _peak;
    private int _minRunningLimit = Unlimited;
    private int _fatalStep = -1;

    // Shared: read by other threads (reports, Cancel).
    private readonly int[] _status;
    private readonly StepResult?[] _results;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _failFast;
    private int _finished;
    private int _completed;
    private int _stopCause;
    private int _runStatus;
    private int _disposed;

    public WorkflowRun(
        WorkflowRunner runner,
        WorkflowDefinition workflow,
        ExecutionOptions options,
        IReadOnlyDictionary<string, StepExecutor> executors,
        IStepPreparation preparation,
        TimeProvider timeProvider,
        WorkflowGraph? graph = null)
    {
        _runner = runner;
        _options = options;
        _time = timeProvider;
        _preparation = preparation;
        _steps = workflow.Steps;
        _failFast = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);

        var n = _steps.Count;
        _graph = graph ?? WorkflowGraph.Build(_steps, preparation.ImplicitDependencies);
        _executors = new StepExecutor[n];
        _priorities = new long[n];
        _pools = new int[n];
        _limits = new int[n];
        _isolated = new bool[n];
        _runsAfterFailure = new bool[n];
        _startedAfterStop = new bool[n];
        _stepTimeouts = new TimeSpan?[n];
        _remaining = new int[n];
        _startTimes = new DateTimeOffset[n];
        _timeoutSources = new CancellationTokenSource?[n];
        _linkedSources = new CancellationTokenSource?[n];
        _status = new int[n];
        _results = new StepResult?[n];
        _workflowTimeout = options.Timeout ?? workflow.Timeout;

        Context = new WorkflowContext(
            string.IsNullOrEmpty(options.RunId) ? Guid.NewGuid().ToString("N") : options.RunId,
            workflow,
            options.Variables,
            ResolveWorkingDirectory(workflow, options),
            timeProvider,
            options.LogCapacity,
            runner.RaiseLogReceived);

        _stepValues = new StepExecutionContext.RunValues(Context, options, timeProvider);

        var parallel = options.ParallelEnabled != false && workflow.Parallel?.Enabled != false;
        _globalLimit = parallel
            ? Math.Max(1, options.MaxConcurrency ?? workflow.Parallel?.DefaultMaxConcurrency ?? Environment.ProcessorCount)
            : 1;

        var poolIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var resources = workflow.Parallel?.Resources ?? EmptyMap<int>.Instance;
        _resourcePools = new ResourcePool[resources.Count];
        foreach (var (name, size) in resources)
        {
            poolIndex[name] = poolIndex.Count;
            _resourcePools[poolIndex[name]] = new ResourcePool(name, size);
        }

        _planError = Plan(executors, poolIndex, parallel, out _levels);
        _totalGroups = 0;
        foreach (var level in _levels)
        {
            _totalGroups = Math.Max(_totalGroups, level + 1);
        }
    }

    /// <summary>Shared. The run's context and log.</summary>
    public WorkflowContext Context { get; }

    /// <summary>Shared.</summary>
    public WorkflowStatus Status => (WorkflowStatus)Volatile.Read(ref _runStatus);

    /// <summary>Shared. Percentage of finished steps.</summary>
    public int Progress => _steps.Count == 0
        ? (Status is WorkflowStatus.Pending or WorkflowStatus.Running ? 0 : 100)
        : (int)(Volatile.Read(ref _finished) * 100L / _steps.Count);

    WorkflowDefinition IStepRunState.Workflow => Context.Workflow;

    IReadOnlyDictionary<string, object?> IStepRunState.Variables => _options.Variables;

    string IStepRunState.RunId => Context.RunId;

    bool IStepRunState.IsCancelled => (StopCause)Volatile.Read(ref _stopCause) is StopCause.Cancelled or StopCause.TimedOut;

    bool IStepRunState.AnyAncestorFailed(string stepId)
    {
        if (!_graph.TryGetIndex(stepId, out var index))
        {
            return false;
        }

        var seen = new bool[_steps.Count];
        var stack = new Stack<int>(_graph.Dependencies[index]);
        while (stack.TryPop(out var ancestor))
        {
            if (seen[ancestor])
            {
                continue;
            }

            seen[ancestor] = true;
            if (Volatile.Read(ref _results[ancestor]) is { Status: StepStatus.Failed })
            {
                return true;
            }

            foreach (var d in _graph.Dependencies[ancestor])
            {
                stack.Push(d);
            }
        }

        return false;
    }

    bool IStepRunState.TryGetStepResult(string stepId, [NotNullWhen(true)] out StepResult? result)
    {
        result = _graph.TryGetIndex(stepId, out var index) ? Volatile.Read(ref _results[index]) : null;
        return result is not null;
    }

    /// <summary>Shared. Stops the run: running steps are cancelled, pending ones skipped. The first cause wins.</summary>
    public void Abort(StopCause cause)
    {
        Interlocked.CompareExchange(ref _stopCause, (int)cause, (int)StopCause.None);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run finished between the check and the call: nothing is left to cancel.
        }
    }

    /// <summary>Shared. A snapshot of every step's status.</summary>
    public ExecutionReport GetReport()
    {
        var steps = new OrderedDictionary<string, StepStatus>(_steps.Count, StringComparer.Ordinal);
        var running = new List<string>();
        for (var i = 0; i < _steps.Count; i++)
        {
            var status = (StepStatus)Volatile.Read(ref _status[i]);
            steps.TryAdd(_steps[i].Id, status);
            if (status == StepStatus.Running)
            {
                running.Add(_steps[i].Id);
            }
        }

        return new ExecutionReport
        {
            Status = Status,
            Progress = Progress,
            TotalSteps = _steps.Count,
            CompletedSteps = Volatile.Read(ref _completed),
            FinishedSteps = Volatile.Read(ref _finished),
            RunningSteps = running,
            Steps = new System.Collections.ObjectModel.ReadOnlyDictionary<string, StepStatus>(steps),
        };
    }

    private static string ResolveWorkingDirectory(WorkflowDefinition workflow, ExecutionOptions options)
    {
        if (!string.IsNullOrEmpty(options.WorkingDirectory))
        {
            return Path.GetFullPath(options.WorkingDirectory);
        }

        if (workflow.Source?.Path is { Length: > 0 } path && File.Exists(path))
        {
            return Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        }

        return Directory.GetCurrentDirectory();
    }

    private sealed class InFlight(WorkflowRun run, int index, Task<StepExecutionResult> task)
    {
        public int Index { get; } = index;

        public Task<StepExecutionResult> Task { get; } = task;

        public void Post() => run._completions.Writer.TryWrite(this);
    }
}
