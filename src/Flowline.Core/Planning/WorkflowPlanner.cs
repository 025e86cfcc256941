using Flowline.Graph;

namespace Flowline.Planning;

/// <summary>
/// Builds a <see cref="WorkflowPlan"/> (issue 11): resolves each step's executor and traits, parses its condition
/// and templates once, derives implicit dependencies, the graph, levels and pools, and reports what stops the
/// workflow from running as diagnostics (duplicate ids, unknown types and dependencies, pools, cycles).
/// One pass over the steps plus the graph's linear-time searches.
/// </summary>
internal sealed partial class WorkflowPlanner
{
    private readonly WorkflowDefinition _definition;
    private readonly IReadOnlyDictionary<string, object?>? _variables;
    private readonly ExecutorRegistry _executors;
    private WorkflowDefinition _workflow;
    private MatrixExpansion? _matrix;
    private List<ResourcePoolPlan> _poolPlans = [];
    private readonly WorkflowSource? _source;
    private readonly Dictionary<string, PlannedStep> _byId;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly List<Diagnostic> _problems = [];
    private readonly Binding.TemplateCache _templates = new();
    private readonly Dictionary<string, int> _poolIndex = new(StringComparer.Ordinal);
    private readonly string? _executorOverride;
    private int _suggestions;

    private WorkflowPlanner(WorkflowDefinition workflow, ExecutorRegistry executors, string? executorOverride, IReadOnlyDictionary<string, object?>? variables, IncludeChain? chain)
    {
        _chain = chain;
        _definition = workflow;
        _workflow = workflow;
        _variables = variables;
        _executors = executors;
        _executorOverride = executorOverride;
        _source = workflow.Source;
        _byId = new Dictionary<string, PlannedStep>(workflow.Steps.Count, StringComparer.Ordinal);
    }

    /// <summary>Plans <paramref name="workflow"/> with <paramref name="executors"/>.</summary>
    /// <param name="workflow">The definition.</param>
    /// <param name="executors">The executors by type and backend.</param>
    /// <param name="executorOverride">Where script steps run whatever the file says (<see cref="ExecutionOptions.Executor"/>), or null.</param>
    /// <param name="variables">The run's variables, for matrix axes that read them; null plans them with the declared defaults.</param>
    /// <param name="chain">The files that included this workflow (issue 14), or null for a top-level one.</param>
    public static WorkflowPlan Build(WorkflowDefinition workflow, ExecutorRegistry executors, string? executorOverride = null, IReadOnlyDictionary<string, object?>? variables = null, IncludeChain? chain = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return new WorkflowPlanner(workflow, executors, executorOverride, variables, chain).Build();
    }

    private WorkflowPlan Build()
    {
        if (MatrixExpansion.Any(_workflow))
        {
            // Issue 13: each matrix instance is a step of its own from here on; a workflow without one pays one loop.
            _matrix = MatrixExpansion.Expand(_workflow, _variables);
            _workflow = _matrix.Workflow;
            _diagnostics.AddRange(_matrix.Problems);
            _problems.AddRange(_matrix.Problems);
        }

        TooLongTimeout(_workflow.Timeout, "/timeout", null, "The workflow timeout");
        WorkflowBackends();
        var pools = _poolPlans = Pools();
        var workflowEnv = WorkflowEnvTexts();
        var steps = new PlannedStep[_workflow.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = Step(_workflow.Steps[i], i, workflowEnv.Count > 0);
        }

        Children(steps);
        if (_workflow.Outputs.Count > 0)
        {
            WorkflowOutputs();
        }

        // Second pass: a dependency may name a step further down the file.
        foreach (var step in steps)
        {
            Dependencies(step);
            step.ImplicitDependencies = ImplicitDependenciesOf(step);
        }

        if (_children is not null)
        {
            ChildOutputsRead(steps);
        }

        var graph = WorkflowGraph.Build(_workflow.Steps, i => steps[i].ImplicitDependencies);
        var order = graph.TopologicalOrder();
        if (order is null)
        {
            Cycles(graph, steps);
        }

        if (_matrix is not null)
        {
            // Later instances' diagnostics repeat their first's word for word (DiagnosticText names the matrix step).
            Deduplicate(_diagnostics);
            Deduplicate(_problems);
        }

        var levels = order is null ? new int[steps.Length] : graph.Levels(order);
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i].Level = levels[i];
            steps[i].Dependencies = graph.Dependencies[i].Length == 0 ? [] : [.. graph.Dependencies[i].Select(d => graph.Ids[d])];
        }

        return new WorkflowPlan(_workflow, steps, _byId, graph, order, pools, workflowEnv, _diagnostics, _problems, _executors.Snapshot(), _executorOverride)
        {
            Templates = _templates,
            Definition = _definition,
            Children = _children ?? (IReadOnlyDictionary<string, ChildWorkflow>)EmptyMap<ChildWorkflow>.Instance,
            Chain = _chain,
            MatrixGroups = _matrix?.Groups ?? EmptyMap<IReadOnlyList<string>>.Instance,
            MatrixVariables = _matrix?.VariablesRead,
            ReadsVariables = _matrix?.ReadsVariables == true,
            PlannedDefinition = _matrix is null ? [] : [.. _definition.Steps.Select(static s => (s, s.DependsOn, s.DependsOn.Count))],
        };
    }

    private PlannedStep Step(WorkflowStep step, int index, bool workflowEnvHasTemplates)
    {
        var backend = Backend(step);
        var executor = Executor(step, backend);
        var traits = Traits(step, executor);
        var planned = new PlannedStep(step, index, executor, traits, backend);
        TooLongTimeout(traits.Timeout, DiagnosticText.Pointer(step, "/config/timeout"), step, $"The timeout of {DiagnosticText.Owner(step, capital: false)}");
        if (!string.IsNullOrEmpty(step.Id))
        {
            DuplicateId(step, planned);
        }

        planned.Limit = step.Parallel switch
        {
            { Enabled: false } => 1,
            { MaxConcurrency: { } max } => Math.Max(1, max),
            _ => int.MaxValue,
        };
        planned.Pool = Pool(step);
        SlurmPlacement(planned);
        Texts(planned);
        planned.NeedsBinding = workflowEnvHasTemplates || planned.Condition is not null || planned.Templates.Count > 0;
        if (_matrix is not null)
        {
            MatrixPlacement(planned);
        }

        if (executor is Execution.Nested.WorkflowStepExecutor)
        {
            // The child's steps take the slots and pool units (issue 14); the step holding one too could deadlock.
            planned.HoldsNoSlot = true;
            planned.Pool = -1;
            planned.MatrixPool = -1;
        }

        planned.RunsAfterFailure = FailurePolicy.RunsAfterFailure(planned);
        return planned;
    }

    private StepTraits Traits(WorkflowStep step, StepExecutor? executor)
    {
        if (executor is null)
        {
            return StepTraits.None;
        }

        try
        {
            return executor.Describe(step) ?? StepTraits.None;
        }
#pragma warning disable CA1031 // A custom executor is user code: its failure becomes a diagnostic (STYLE rule 10).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Error(DiagnosticCodes.ExecutorValidationFailed, DiagnosticText.Pointer(step, "/config"), step,
                $"The '{step.Type}' step executor ({executor.GetType().Name}) threw while describing step '{step.Id}': {exception.Message}");
            return StepTraits.None;
        }
    }

    private void Texts(PlannedStep planned)
    {
        var step = planned.Step;
        var pointer = step.SourcePath ?? $"/steps/{planned.Index}";
        if (!string.IsNullOrWhiteSpace(step.Condition))
        {
            planned.Condition = Parsed(PlannedText.Condition(pointer + "/condition", step.Condition), step);
        }

        List<PlannedText>? texts = null;
        foreach (var template in planned.Traits.Templates)
        {
            (texts ??= []).Add(Parsed(PlannedText.ForTemplate(pointer, template, _templates), step));
        }

        foreach (var (key, value) in planned.Traits.Environment)
        {
            if (Expressions.Template.ContainsTemplate(value))
            {
                (texts ??= []).Add(Parsed(PlannedText.ForEnvironment(pointer, key, value, _templates), step));
            }
        }

        if (step.Cache?.Key is { } cacheKey && Expressions.Template.ContainsTemplate(cacheKey))
        {
            (texts ??= []).Add(Parsed(PlannedText.ForCacheKey(pointer, cacheKey, _templates), step));
        }

        planned.Templates = texts is null ? [] : texts;
    }

    private List<PlannedText> WorkflowEnvTexts()
    {
        List<PlannedText>? texts = null;
        foreach (var (key, value) in _workflow.Env)
        {
            if (Expressions.Template.ContainsTemplate(value))
            {
                (texts ??= []).Add(Parsed(PlannedText.ForEnvironment(null, key, value, _templates), null));
            }
        }

        return texts ?? [];
    }

    private IReadOnlyList<string> ImplicitDependenciesOf(PlannedStep planned)
    {
        var step = planned.Step;
        List<string>? extra = null;
        foreach (var text in planned.Condition is null ? planned.Templates : planned.Templates.Prepend(planned.Condition))
        {
            foreach (var read in text.StepsRead())
            {
                // steps.test of a matrix step waits for every instance (issue 13).
                IReadOnlyList<string> ids = _matrix is not null && _matrix.Groups.TryGetValue(read, out var instances) ? instances : [read];
                foreach (var id in ids)
                {
                    if (id != step.Id && read != step.Instance?.Of && _byId.ContainsKey(id) && !step.DependsOn.Contains(id) && !(extra?.Contains(id) ?? false))
                    {
                        (extra ??= []).Add(id);
                    }
                }
            }
        }

        return extra is null ? [] : extra;
    }
}
