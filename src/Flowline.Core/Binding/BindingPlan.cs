using Flowline.Expressions;
using Flowline.Graph;

namespace Flowline.Binding;

/// <summary>
/// What binding and scheduling derive from a definition alone: the steps by id, which steps need binding, the
/// implicit dependencies and the dependency graph. A <see cref="WorkflowRunner"/> keeps the plan of its latest
/// definition and reuses it when the same definition runs again, so a run of a large graph does not rebuild them
/// (issue 7, B7: about 40 % of a 10,000-step in-process run went into these).
/// </summary>
internal sealed class BindingPlan
{
    private readonly WorkflowStep[] _steps;
    private readonly IReadOnlyList<string>[] _dependsOn;
    private readonly int[] _dependsOnCounts;
    private WorkflowGraph? _graph;

    public BindingPlan(WorkflowDefinition workflow)
    {
        Workflow = workflow;
        var count = workflow.Steps.Count;
        _steps = new WorkflowStep[count];
        _dependsOn = new IReadOnlyList<string>[count];
        _dependsOnCounts = new int[count];
        WorkflowEnvHasTemplates = workflow.Env.Values.Any(Template.ContainsTemplate);
        var stepsById = new Dictionary<string, WorkflowStep>(count, StringComparer.Ordinal);
        var needsBinding = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var step = workflow.Steps[i];
            _steps[i] = step;
            _dependsOn[i] = step.DependsOn;
            _dependsOnCounts[i] = step.DependsOn.Count;
            stepsById.TryAdd(step.Id, step);

            // Steps with nothing to bind (most of a large graph) take the fast path: no scope, no allocation.
            if (WorkflowEnvHasTemplates || StepTexts.HasBindableText(step))
            {
                needsBinding.Add(step.Id);
            }
        }

        StepsById = stepsById;
        NeedsBinding = needsBinding;
        ImplicitDependencies = Binding.ImplicitDependencies.Compute(workflow);
    }

    public WorkflowDefinition Workflow { get; }

    public IReadOnlyDictionary<string, WorkflowStep> StepsById { get; }

    public IReadOnlySet<string> NeedsBinding { get; }

    public bool WorkflowEnvHasTemplates { get; }

    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ImplicitDependencies { get; }

    /// <summary>The graph of the steps with the implicit dependencies, built on first use. Read-only once built.</summary>
    public WorkflowGraph Graph => _graph ??= WorkflowGraph.Build(_steps, ImplicitDependencies);

    /// <summary>
    /// Whether this plan still describes <paramref name="workflow"/>: the same definition, with the same step objects
    /// and dependency lists. Definitions are immutable, but a definition built in code may hold lists its author
    /// still changes; such a change makes the runner build a new plan instead of running a stale graph.
    /// </summary>
    public bool Describes(WorkflowDefinition workflow)
    {
        if (!ReferenceEquals(workflow, Workflow) || workflow.Steps.Count != _steps.Length)
        {
            return false;
        }

        for (var i = 0; i < _steps.Length; i++)
        {
            var step = workflow.Steps[i];
            if (!ReferenceEquals(step, _steps[i]) || !ReferenceEquals(step.DependsOn, _dependsOn[i]) || step.DependsOn.Count != _dependsOnCounts[i])
            {
                return false;
            }
        }

        return true;
    }
}
