using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Flowline.Execution;

namespace Flowline.Scheduling;

/// <summary>
/// One execution of a <see cref="WorkflowPlan"/>: the eager scheduler loop (docs/scheduling.md). What other threads
/// read lives in <see cref="RunState"/> and <see cref="RunStop"/>; results are built by <see cref="RunResultBuilder"/>,
/// snapshots by <see cref="RunSnapshots"/>; the outside world hears of the run through one <see cref="IRunObserver"/>.
/// </summary>
/// <remarks>
/// Threading: the fields below are touched only by the scheduler loop, which runs on one logical thread at a time
/// (the caller of <see cref="RunAsync"/>, then thread-pool continuations of the completion channel).
/// </remarks>
internal sealed partial class WorkflowRun : IStepRunState, Execution.Nested.INestedRuns
{
    // The plan and the arrays sized by it are replaced, larger, when a dynamic matrix expands (WorkflowRun.Matrix.cs).
    private WorkflowPlan _plan;
    private IReadOnlyList<PlannedStep> _steps;
    private readonly ExecutionOptions _options;
    private readonly TimeProvider _time;
    private readonly IStepPreparation _preparation;
    private readonly IRunObserver _observer;
    private readonly StepExecutionContext.RunValues _stepValues;
    private long[] _priorities;
    private readonly ResourcePool[] _pools;
    private readonly int _globalLimit;
    private readonly RunState _state;
    private readonly RunStop _stop;
    private readonly Execution.Secrets.RunSecrets _secrets;
    private readonly Execution.Secrets.SecretMasker _masker;
    private readonly RunTree _tree;
    private readonly TreeGate _gate;
    private readonly string[] _maskedValues;

    private int[] _remaining;
    private bool[] _startedAfterStop;
    private readonly PriorityQueue<int, long> _ready = new();
    private readonly RunningLimits _limits = new();
    private DateTimeOffset[] _startTimes;
    private CancellationTokenSource?[] _timeoutSources;
    private CancellationTokenSource?[] _linkedSources;
    private readonly RunSnapshots _snapshots;
    private readonly bool _parallel;
    private readonly Channel<InFlight> _completions = Channel.CreateUnbounded<InFlight>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly List<int> _untoleratedFailures = [];
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _failFast;
    private RetryState? _retries;
    private int _running;
    private int _peak;
    private int _disposed;

    public WorkflowRun(
        WorkflowPlan plan,
        ExecutionOptions options,
        IStepPreparation preparation,
        IRunObserver observer,
        TimeProvider timeProvider,
        Func<IReadOnlyDictionary<string, long>>? logCursor = null,
        IRunJournal? journal = null,
        Execution.Tracing.TracingObserver? tracing = null,
        WorkflowRun? parent = null)
    {
        var tree = parent?._tree;
        _plan = plan;
        _steps = plan.Steps;
        _options = options;
        _time = timeProvider;
        _preparation = preparation;
        _observer = observer;
        _failFast = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);

        var n = _steps.Count;
        _state = new RunState(n);
        _stop = new RunStop(_steps, options.Timeout ?? plan.Workflow.Timeout);
        _remaining = new int[n];
        _startedAfterStop = new bool[n];
        _startTimes = new DateTimeOffset[n];
        _timeoutSources = new CancellationTokenSource?[n];
        _linkedSources = new CancellationTokenSource?[n];

        _secrets = Execution.Secrets.RunSecrets.Resolve(plan.Workflow, options.Secrets);
        _masker = _secrets.CreateMasker();
        _maskedValues = [.. _secrets.Values.Values.OfType<string>()];
        IReadOnlyCollection<string> hidden = _secrets.Names;
        if (parent is not null)
        {
            // A child run (issue 14): the parent's secrets stay masked in its output (a variable may carry one there),
            // and its processes inherit none of them from Flowline's environment either.
            foreach (var value in parent._maskedValues)
            {
                _masker.Add(value);
            }

            _maskedValues = [.. _maskedValues, .. parent._maskedValues];
            hidden = [.. hidden.Union(parent._stepValues.HiddenEnvironment, StringComparer.Ordinal)];
        }

        var runId = string.IsNullOrEmpty(options.RunId) ? Guid.NewGuid().ToString("N") : options.RunId;
        _snapshots = new RunSnapshots(plan, _state, runId, options, timeProvider, logCursor);
        Context = new WorkflowContext(
            runId,
            plan.Workflow,
            options.Variables,
            ResolveWorkingDirectory(plan.Workflow, options),
            timeProvider,
            options.LogCapacity,
            observer.Log,
            _snapshots,
            _masker);
        _stepValues = new StepExecutionContext.RunValues(Context, options, timeProvider) { Journal = journal, HiddenEnvironment = hidden, Tracing = tracing, Nested = this };

        var workflow = plan.Workflow;
        var parallel = _parallel = options.ParallelEnabled != false && workflow.Parallel?.Enabled != false;
        _globalLimit = tree?.Limit ?? (parallel
            ? Math.Max(1, options.MaxConcurrency ?? workflow.Parallel?.DefaultMaxConcurrency ?? Environment.ProcessorCount)
            : 1);
        _tree = tree ?? new RunTree(_globalLimit);

        // Only a tree with child runs needs its lock: a child, or a run with a type: workflow step (static or matrix).
        _gate = new TreeGate(parent is not null || plan.Steps.Any(static s => s.HoldsNoSlot) ? _tree.Gate : null);
        _pools = [.. plan.Pools.Select(SharedPool)];
        _priorities = plan.CanRun ? RunPriorities.Compute(plan, parallel, options.ExpectedDurations) : [];
    }

    /// <summary>Why the run must fail before any step starts (declared variables given bad values, issue 13); set before <see cref="RunAsync"/>.</summary>
    public string? StartProblem { get; set; }

    /// <summary>Shared. The run's context and log.</summary>
    public WorkflowContext Context { get; }

    /// <summary>Shared.</summary>
    public WorkflowStatus Status => _state.Status;

    /// <summary>Shared. Percentage of finished steps.</summary>
    public int Progress => _state.Progress;

    WorkflowDefinition IStepRunState.Workflow => _plan.Workflow;

    IReadOnlyDictionary<string, object?> IStepRunState.Variables => _options.Variables;

    IReadOnlyDictionary<string, object?> IStepRunState.Secrets => _secrets.Values;

    string IStepRunState.RunId => Context.RunId;

    bool IStepRunState.IsCancelled => _stop.Cause is StopCause.Cancelled or StopCause.TimedOut;

    bool IStepRunState.AnyAncestorFailed(string stepId)
    {
        if (!_plan.Graph.TryGetIndex(stepId, out var index))
        {
            return false;
        }

        var seen = new bool[_steps.Count];
        var stack = new Stack<int>(_plan.Graph.Dependencies[index]);
        while (stack.TryPop(out var ancestor))
        {
            if (seen[ancestor])
            {
                continue;
            }

            seen[ancestor] = true;
            if (_state.ResultOf(ancestor) is { Status: StepStatus.Failed })
            {
                return true;
            }

            foreach (var d in _plan.Graph.Dependencies[ancestor])
            {
                stack.Push(d);
            }
        }

        return false;
    }

    IReadOnlyList<string>? IStepRunState.InstancesOf(string stepId) =>
        _plan.MatrixGroups.Count > 0 && _plan.MatrixGroups.TryGetValue(stepId, out var instances) ? instances : null;

    bool IStepRunState.TryGetStepResult(string stepId, [NotNullWhen(true)] out StepResult? result)
    {
        result = _plan.Graph.TryGetIndex(stepId, out var index) ? _state.ResultOf(index) : null;
        return result is not null;
    }

    /// <summary>Shared. Stops the run: running steps are cancelled, pending ones skipped. The first cause wins.</summary>
    public void Abort(StopCause cause)
    {
        _stop.Set(cause);
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

        // A child run waiting for a slot of its tree with nothing of its own running (issue 14) hears of it here.
        Wake();
    }

    /// <summary>Shared. A snapshot of every step's status.</summary>
    public ExecutionReport GetReport()
    {
        var steps = new OrderedDictionary<string, StepStatus>(_steps.Count, StringComparer.Ordinal);
        var running = new List<string>();
        for (var i = 0; i < _steps.Count; i++)
        {
            var status = _state.StatusOf(i);
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
            CompletedSteps = _state.Completed,
            FinishedSteps = _state.Finished,
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

    /// <summary>A step's running attempt, or (with <see cref="Delay"/>) its wait before the next one.</summary>
    private sealed class InFlight(WorkflowRun run, int index, Task<StepExecutionResult>? task, Task? delay = null)
    {
        public int Index { get; } = index;

        public Task<StepExecutionResult>? Task { get; } = task;

        public Task? Delay { get; } = delay;

        public void Post() => run._completions.Writer.TryWrite(this);
    }
}
