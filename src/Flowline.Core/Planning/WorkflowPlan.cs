using System.Diagnostics.CodeAnalysis;
using Flowline.Graph;
using Flowline.Planning;

namespace Flowline;

/// <summary>
/// A workflow made ready to run, built once from a definition and the registered executors (issue 11): the steps
/// with their executors' traits, explicit and implicit dependencies, dependency levels and parsed conditions and
/// templates. <see cref="WorkflowValidator"/> produces it (its problems are diagnostics with code and location),
/// <see cref="WorkflowRunner"/> runs it and <c>flowline graph</c> draws it; nothing is derived twice.
/// </summary>
public sealed class WorkflowPlan
{
    private readonly Dictionary<string, PlannedStep> _byId;

    internal WorkflowPlan(
        WorkflowDefinition workflow,
        IReadOnlyList<PlannedStep> steps,
        Dictionary<string, PlannedStep> byId,
        WorkflowGraph graph,
        int[]? order,
        IReadOnlyList<ResourcePoolPlan> pools,
        IReadOnlyList<PlannedText> workflowEnv,
        IReadOnlyList<Diagnostic> diagnostics,
        IReadOnlyList<Diagnostic> problems,
        IReadOnlyDictionary<ExecutorKey, StepExecutor> executors,
        string? executorOverride)
    {
        ExecutorOverride = executorOverride;
        Workflow = workflow;
        Steps = steps;
        _byId = byId;
        Graph = graph;
        Order = order;
        Pools = pools;
        WorkflowEnv = workflowEnv;
        Diagnostics = diagnostics;
        Executors = executors;
        Problems = problems;
        var implicitDependencies = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        var levels = 0;
        foreach (var step in steps)
        {
            levels = Math.Max(levels, step.Level + 1);
            if (step.ImplicitDependencies.Count > 0)
            {
                implicitDependencies.TryAdd(step.Id, step.ImplicitDependencies);
            }
        }

        ImplicitDependencies = implicitDependencies;
        RunsProcesses = steps.Any(static s => s.Traits.RunsProcess);
        LevelCount = steps.Count == 0 ? 0 : levels;
    }

    /// <summary>
    /// The workflow the plan runs: the definition it was built from, with each matrix step expanded into its instances
    /// (issue 13, docs/matrix.md); the definition itself when it has no matrix.
    /// </summary>
    public WorkflowDefinition Workflow { get; }

    /// <summary>The definition as given, before matrix steps were expanded.</summary>
    internal WorkflowDefinition Definition { get; init; } = null!;

    /// <summary>Whether a matrix axis reads <c>variables</c> (issue 13), so a run with other values needs <see cref="WithVariables"/>.</summary>
    internal bool ReadsVariables { get; init; }

    /// <summary>The plans of the <c>type: workflow</c> steps' children, by step id (issue 14).</summary>
    internal IReadOnlyDictionary<string, ChildWorkflow> Children { get; init; } = EmptyMap<ChildWorkflow>.Instance;

    /// <summary>The files that led to this plan's workflow when it is a child (issue 14); null for a top-level one.</summary>
    internal IncludeChain? Chain { get; init; }

    /// <summary>
    /// The plan for a run with <paramref name="variables"/> (issue 13, docs/matrix.md "Dynamic fan-out"): matrix axes
    /// that read <c>variables</c> are expanded with these values (and the declared defaults for those not given). This
    /// plan itself when no axis reads variables or the values are those it was planned with; the runner does the same
    /// before a run, so call it only to show the steps a run will have before it starts.
    /// </summary>
    /// <param name="variables">The run's variables, as <see cref="ExecutionOptions.Variables"/> gives them.</param>
    /// <returns>The plan to run.</returns>
    public WorkflowPlan WithVariables(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (!ReadsVariables)
        {
            return this;
        }

        var values = variables;
        if (Definition.Variables.Count > 0 && DeclaredVariables.Resolve(Definition, variables) is { IsValid: true } resolution)
        {
            values = resolution.Values;
        }

        if (MatrixVariables is { } planned && planned.All(p => values.TryGetValue(p.Key, out var value)
            && string.Equals(Expressions.ValueFormatter.Render(value), Expressions.ValueFormatter.Render(p.Value), StringComparison.Ordinal)))
        {
            return this;
        }

        return WorkflowPlanner.Build(Definition, new ExecutorRegistry(Executors), ExecutorOverride, values, Chain);
    }

    /// <summary>For a matrix plan, the definition's steps, their dependency lists and counts as planned.</summary>
    internal IReadOnlyList<(WorkflowStep Step, IReadOnlyList<string> DependsOn, int Count)> PlannedDefinition { get; init; } = [];

    /// <summary>The instances' ids of each expanded matrix step, by the matrix step's id, in instance order.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>> MatrixGroups { get; init; } = EmptyMap<IReadOnlyList<string>>.Instance;

    /// <summary>The variables matrix axes read when the plan was built, with their values; null when no axis reads any.</summary>
    internal IReadOnlyDictionary<string, object?>? MatrixVariables { get; init; }

    /// <summary>The steps, in file order.</summary>
    public IReadOnlyList<PlannedStep> Steps { get; }

    /// <summary>
    /// The problems that keep the plan from running, as diagnostics with code and location: a duplicate step id, an
    /// unknown dependency or step type, an undeclared or empty resource pool, a cycle. Empty when it can run.
    /// </summary>
    public IReadOnlyList<Diagnostic> Problems { get; }

    /// <summary>True when nothing keeps the plan from running.</summary>
    public bool CanRun => Problems.Count == 0;

    /// <summary>How many dependency levels the steps form (the report's <c>totalGroups</c>).</summary>
    public int LevelCount { get; }

    /// <summary>The implicit dependencies of the steps that have any, by step id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ImplicitDependencies { get; }

    /// <summary>
    /// The plan's templates, parsed once and shared by its runs: the binder renders through it, and so does the agent
    /// executor (through the step's context), so a prompt the plan parsed is not parsed again. Bounded by the definition.
    /// </summary>
    internal Binding.TemplateCache Templates { get; init; } = new();

    /// <summary>Whether any step starts a child process (<see cref="StepTraits.RunsProcess"/>): the runner then prepares the process launcher early.</summary>
    internal bool RunsProcesses { get; }

    /// <summary>Every diagnostic found while planning, including warnings and template syntax errors that do not stop a run.</summary>
    internal IReadOnlyList<Diagnostic> Diagnostics { get; }

    internal WorkflowGraph Graph { get; }

    /// <summary>A topological order of the steps by index; null when they form a cycle.</summary>
    internal int[]? Order { get; }

    internal IReadOnlyList<ResourcePoolPlan> Pools { get; }

    /// <summary>The workflow's <c>env</c> values, parsed as templates (rendered for every step).</summary>
    internal IReadOnlyList<PlannedText> WorkflowEnv { get; }

    internal bool WorkflowEnvHasTemplates => WorkflowEnv.Count > 0;

    /// <summary>The scheduler's start order when no durations are known (Scheduling.RunPriorities), computed once per plan.</summary>
    internal long[]? StepCountPriorities { get; set; }

    /// <summary>The start order of sequential runs: file order.</summary>
    internal long[]? FileOrderPriorities { get; set; }

    /// <summary>The executors the plan was built with, by type and backend.</summary>
    internal IReadOnlyDictionary<ExecutorKey, StepExecutor> Executors { get; }

    /// <summary>The <see cref="ExecutionOptions.Executor"/> the plan was built with (issue 12); null when it follows the file.</summary>
    internal string? ExecutorOverride { get; }

    /// <summary>Finds a step by id.</summary>
    /// <param name="id">The step's id.</param>
    /// <param name="step">The step, when found.</param>
    /// <returns>Whether the plan has a step with that id.</returns>
    public bool TryGetStep(string id, [NotNullWhen(true)] out PlannedStep? step) => _byId.TryGetValue(id, out step);

    /// <summary>
    /// Whether this plan still describes <paramref name="workflow"/> run with <paramref name="executors"/> and
    /// <paramref name="executorOverride"/>: the same definition, step objects, dependency lists, executors and override. Definitions are immutable, but one built in code may
    /// hold lists its author still changes; such a change makes the runner plan again instead of running a stale graph.
    /// </summary>
    internal bool Describes(WorkflowDefinition workflow, IReadOnlyDictionary<ExecutorKey, StepExecutor> executors, string? executorOverride)
    {
        var matrix = !ReferenceEquals(Workflow, Definition);
        if ((!ReferenceEquals(workflow, Workflow) && !ReferenceEquals(workflow, Definition))
            || (!matrix && workflow.Steps.Count != Steps.Count) || executors.Count != Executors.Count
            || !string.Equals(executorOverride, ExecutorOverride, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var (key, executor) in executors)
        {
            if (!Executors.TryGetValue(key, out var planned) || !ReferenceEquals(planned, executor))
            {
                return false;
            }
        }

        if (matrix)
        {
            // A matrix plan: the expanded workflow is the plan's own; the definition is compared with what was planned.
            return ReferenceEquals(workflow, Workflow) || (workflow.Steps.Count == PlannedDefinition.Count && PlannedDefinition.Select((p, i) => (p, i)).All(x =>
                ReferenceEquals(workflow.Steps[x.i], x.p.Step) && ReferenceEquals(workflow.Steps[x.i].DependsOn, x.p.DependsOn) && x.p.DependsOn.Count == x.p.Count));
        }

        for (var i = 0; i < Steps.Count; i++)
        {
            var step = workflow.Steps[i];
            var planned = Steps[i].Step;
            if (!ReferenceEquals(step, planned) || !ReferenceEquals(step.DependsOn, planned.DependsOn) || step.DependsOn.Count != Steps[i].DependsOnCount)
            {
                return false;
            }
        }

        return true;
    }
}
