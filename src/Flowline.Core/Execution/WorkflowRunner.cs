using Flowline.Execution;
using Flowline.Planning;
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
    private static readonly ExecutorKey LocalAgent = new("agent", ExecutorKey.Local);

    private readonly Dictionary<ExecutorKey, StepExecutor> _executors = [];
    private readonly Dictionary<string, Microsoft.Extensions.AI.IChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly Lock _executorsLock = new();
    private WorkflowRun? _current;
    private WorkflowPlan? _plan;
    private int _busy;

    /// <summary>Creates a runner with the built-in executors registered.</summary>
    /// <param name="timeProvider">The clock for timestamps and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    public WorkflowRunner(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        foreach (var executor in ExecutorRegistry.CreateBuiltIns())
        {
            RegisterStepExecutor(executor);
        }

        RegisterStepExecutor(new AgentStepExecutor());
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

    /// <summary>
    /// Registers (or replaces) the executor for the steps whose <c>type:</c> is its <see cref="StepExecutor.Type"/> and
    /// that run on its <see cref="StepExecutor.Backend"/> (issue 12: <c>executor:</c>, local unless a <c>script</c> step
    /// says <c>slurm</c>); it replaces the one registered for the same type and backend. <see cref="Validate"/> and every
    /// later run use it.
    /// </summary>
    /// <param name="executor">The executor; it may be called for many steps at once.</param>
    /// <exception cref="InvalidOperationException">
    /// It replaces the <c>agent</c> executor with one that is not an <see cref="AgentStepExecutor"/> after chat clients
    /// were registered, which could then never reach agent steps.
    /// </exception>
    public void RegisterStepExecutor(StepExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var type = executor.Type;
        if (string.IsNullOrWhiteSpace(type))
        {
            throw new ArgumentException($"{executor.GetType().Name}.Type is empty; return the step type it runs, as written in a step's 'type:'.", nameof(executor));
        }

        var backend = executor.Backend;
        if (string.IsNullOrWhiteSpace(backend))
        {
            throw new ArgumentException($"{executor.GetType().Name}.Backend is empty; return where it runs steps, as written in 'executor:' ('local' unless it runs them elsewhere).", nameof(executor));
        }

        var key = new ExecutorKey(type, backend);
        lock (_executorsLock)
        {
            if (key == LocalAgent)
            {
                AttachChatClients(executor);
            }

            _executors[key] = executor;
        }
    }

    /// <summary>
    /// Makes <paramref name="client"/> the model behind an agent name (<c>agent: code-analyzer</c>) or a provider
    /// name used in <c>agents:</c> entries, so that any Microsoft.Extensions.AI chat client can back agent steps. It
    /// stays registered when the <c>agent</c> executor is replaced by another <see cref="AgentStepExecutor"/>.
    /// </summary>
    /// <param name="name">An agent or provider name.</param>
    /// <param name="client">The chat client; Flowline never disposes it.</param>
    /// <exception cref="InvalidOperationException">The <c>agent</c> executor is not an <see cref="AgentStepExecutor"/>, so no chat client can reach agent steps.</exception>
    public void RegisterChatClient(string name, Microsoft.Extensions.AI.IChatClient client)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        lock (_executorsLock)
        {
            if (_executors.GetValueOrDefault(LocalAgent) is not AgentStepExecutor agents)
            {
                throw new InvalidOperationException(
                    $"Chat clients reach agent steps through an AgentStepExecutor, but the 'agent' step type is registered to {_executors.GetValueOrDefault(LocalAgent)?.GetType().Name ?? "nothing"}. " +
                    "Give the client to that executor instead, or register an AgentStepExecutor for 'agent' first.");
            }

            _chatClients[name] = client;
            agents.RegisterChatClient(name, client);
        }
    }

    /// <summary>
    /// Validates <paramref name="workflow"/> against this runner's executors and plans it: run the result's
    /// <see cref="ValidationResult.Plan"/> with <see cref="ExecuteAsync(WorkflowPlan, ExecutionOptions?, CancellationToken)"/>
    /// and nothing is derived twice.
    /// </summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="executor">
    /// Where script steps run whatever the file says (issue 12): the <see cref="ExecutionOptions.Executor"/> the plan
    /// will run with, so that it is not planned again; null follows the file.
    /// </param>
    /// <returns>Every problem found, and the plan.</returns>
    public ValidationResult Validate(WorkflowDefinition workflow, string? executor = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var executors = Executors();
        return new WorkflowValidator(new ExecutorRegistry(executors), executors, executor).Validate(workflow);
    }

    /// <summary>
    /// Loads a workflow file and validates it as <see cref="Validate"/> does: the result holds the loader's and the
    /// validator's diagnostics together, in file order, the definition and its plan.
    /// </summary>
    /// <param name="path">The workflow file.</param>
    /// <param name="executor">Where script steps run whatever the file says, as for <see cref="Validate"/>; null follows the file.</param>
    /// <returns>Every problem found, the definition and the plan (null when the file could not be read as a workflow).</returns>
    public ValidationResult ValidateFile(string path, string? executor = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var executors = Executors();
        return new WorkflowValidator(new ExecutorRegistry(executors), executors, executor).Combine(WorkflowLoader.LoadFile(path));
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

    private Dictionary<ExecutorKey, StepExecutor> Executors()
    {
        lock (_executorsLock)
        {
            return new Dictionary<ExecutorKey, StepExecutor>(_executors);
        }
    }

    private void AttachChatClients(StepExecutor executor)
    {
        if (executor is AgentStepExecutor agents)
        {
            foreach (var (name, client) in _chatClients)
            {
                agents.RegisterChatClient(name, client);
            }
        }
        else if (_chatClients.Count > 0)
        {
            throw new InvalidOperationException(
                $"{_chatClients.Count} chat client(s) were registered with RegisterChatClient, and {executor.GetType().Name} is not an AgentStepExecutor, " +
                "so they could never reach agent steps; register an AgentStepExecutor for 'agent', or give the clients to your executor.");
        }
    }
}
