using Flowline.Execution;
using Flowline.Execution.Script;
using Flowline.Scheduling;

namespace Flowline;

/// <summary>
/// Runs workflows with an eager DAG scheduler (spec "Execute the Workflow"; the rules are in docs/scheduling.md).
/// One runner executes one workflow at a time; its status, progress, report and context describe the latest run and
/// may be read from any thread while it runs.
/// </summary>
public sealed partial class WorkflowRunner
{
    private static readonly ExecutionOptions DefaultOptions = new();

    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, StepExecutor> _executors = new(StringComparer.Ordinal);
    private readonly Lock _executorsLock = new();
    private readonly AgentStepExecutor _agents = new();
    private WorkflowRun? _current;
    private Binding.BindingPlan? _plan;
    private int _busy;

    /// <summary>Creates a runner with the built-in executors registered.</summary>
    /// <param name="timeProvider">The clock for timestamps and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    public WorkflowRunner(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        RegisterStepExecutor("script", new ScriptStepExecutor());
        RegisterStepExecutor("agent", _agents);
    }

    /// <summary>The latest run's status; <see cref="WorkflowStatus.Pending"/> before the first run.</summary>
    public WorkflowStatus Status => Volatile.Read(ref _current)?.Status ?? WorkflowStatus.Pending;

    /// <summary>Percentage (0–100) of the latest run's steps that have finished, whatever their outcome.</summary>
    public int Progress => Volatile.Read(ref _current)?.Progress ?? 0;

    /// <summary>The latest run's context and log; null before the first run.</summary>
    public WorkflowContext? Context => Volatile.Read(ref _current)?.Context;

    /// <summary>The seam for conditions and templates (issue 4).</summary>
    /// <remarks>Null (the default) binds each run with a new <see cref="Binding.StepBinder"/>; tests may substitute their own.</remarks>
    internal IStepPreparation? Preparation { get; set; }

    /// <summary>Registers (or replaces) the executor for steps of <paramref name="type"/>.</summary>
    /// <param name="type">The value of a step's <c>type:</c>.</param>
    /// <param name="executor">The executor; it may be called for many steps at once.</param>
    public void RegisterStepExecutor(string type, StepExecutor executor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(executor);
        lock (_executorsLock)
        {
            _executors[type] = executor;
        }
    }

    /// <summary>
    /// Makes <paramref name="client"/> the model behind an agent name (<c>agent: code-analyzer</c>) or a provider
    /// name used in <c>agents:</c> entries, so that any Microsoft.Extensions.AI chat client can back agent steps.
    /// </summary>
    /// <param name="name">An agent or provider name.</param>
    /// <param name="client">The chat client; Flowline never disposes it.</param>
    public void RegisterChatClient(string name, Microsoft.Extensions.AI.IChatClient client) =>
        _agents.RegisterChatClient(name, client);

    /// <summary>
    /// Runs <paramref name="workflow"/> to its end. Step failures, timeouts and cancellation are reported in the result,
    /// never thrown. A definition the runner cannot execute (unknown step type or resource, cycle) gives a
    /// <see cref="WorkflowStatus.Failed"/> result in which no step ran.
    /// </summary>
    /// <param name="workflow">The workflow, ideally validated first.</param>
    /// <param name="options">Variables, limits and error policy; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run: running steps are cancelled, pending ones skipped, status <see cref="WorkflowStatus.Cancelled"/>.</param>
    /// <exception cref="InvalidOperationException">This runner is already executing a workflow.</exception>
    public async Task<WorkflowResult> ExecuteAsync(
        WorkflowDefinition workflow,
        ExecutionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                "This WorkflowRunner is already executing a workflow; wait for that run to finish or use one runner per concurrent run.");
        }

        try
        {
            Dictionary<string, StepExecutor> executors;
            lock (_executorsLock)
            {
                executors = new Dictionary<string, StepExecutor>(_executors, StringComparer.Ordinal);
            }

            options ??= DefaultOptions;
            if (options.RunStore is not null || options.ResumeFrom is not null)
            {
                return await ExecuteWithStateAsync(workflow, options, executors, cancellationToken).ConfigureAwait(false);
            }

            var preparation = Prepare(workflow, options, out var graph);
            var run = new WorkflowRun(this, workflow, options, executors, preparation, _timeProvider, graph);
            run.Context.Attach(run);
            Volatile.Write(ref _current, run);
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// The binder of a new run and, when it comes from a plan, the plan's graph. The plan of the latest definition is
    /// kept (only ExecuteAsync touches it, one run at a time), so running the same definition again skips the work
    /// that depends on the definition alone.
    /// </summary>
    private IStepPreparation Prepare(WorkflowDefinition workflow, ExecutionOptions options, out Graph.WorkflowGraph? graph)
    {
        if (Preparation is { } preparation)
        {
            graph = null;
            return preparation;
        }

        var plan = _plan is { } latest && latest.Describes(workflow) ? latest : new Binding.BindingPlan(workflow);
        _plan = plan;
        graph = plan.Graph;
        return new Binding.StepBinder(plan, options, _timeProvider);
    }

    /// <summary>Cancels the current run, if any: running steps are cancelled, pending ones skipped. Safe from any thread.</summary>
    public void Cancel() => Volatile.Read(ref _current)?.Abort(StopCause.Cancelled);

    /// <summary>A snapshot of the latest run: counts, running steps and every step's status. Safe from any thread while it runs.</summary>
    public ExecutionReport GetExecutionReport() =>
        Volatile.Read(ref _current)?.GetReport() ?? new ExecutionReport
        {
            Status = WorkflowStatus.Pending,
            Progress = 0,
            TotalSteps = 0,
            CompletedSteps = 0,
            FinishedSteps = 0,
            RunningSteps = [],
            Steps = EmptyMap<StepStatus>.Instance,
        };
}
