using System.Text.RegularExpressions;
using Flowline.Planning;

namespace Flowline;

/// <summary>
/// Checks a <see cref="WorkflowDefinition"/> before anything runs and reports every problem at once, each with a
/// stable code, the step concerned and, for definitions loaded from a file, its line and column. One pass over the
/// steps plus the graph's linear-time cycle search; "did you mean" suggestions are computed only for errors.
/// </summary>
public sealed partial class WorkflowValidator
{
    /// <summary>Suggestions cost a scan of every id; past this many unknown references they are left out.</summary>
    private const int MaxSuggestions = 50;

    // The executors the user registered (each validates its own steps' config) and the registry the plan is built
    // with, which adds the built-in script and agent executors.
    private readonly HashSet<StepExecutor> _executors = new(ReferenceEqualityComparer.Instance);
    private readonly ExecutorRegistry _registry;
    private readonly string? _executorOverride;

    /// <summary>Creates a validator that knows the built-in step types and those of <paramref name="executors"/>.</summary>
    /// <param name="executors">Registered custom executors; each validates the config of its own steps.</param>
    public WorkflowValidator(IEnumerable<StepExecutor>? executors = null)
    {
        var registered = new Dictionary<ExecutorKey, StepExecutor>();
        foreach (var executor in executors ?? [])
        {
            registered[ExecutorKey.Of(executor)] = executor;
        }

        _executors.UnionWith(registered.Values);
        _registry = new ExecutorRegistry(registered.Values);
    }

    /// <summary>A validator over a runner's registry (<see cref="WorkflowRunner.Validate"/>): the plan it produces is the one the runner runs.</summary>
    /// <param name="registry">The runner's executors.</param>
    /// <param name="executors">Those whose <see cref="StepExecutor.Validate(WorkflowStep)"/> checks their steps.</param>
    /// <param name="executorOverride">Where script steps run whatever the file says (<see cref="ExecutionOptions.Executor"/>), or null.</param>
    internal WorkflowValidator(ExecutorRegistry registry, IReadOnlyDictionary<ExecutorKey, StepExecutor> executors, string? executorOverride = null)
    {
        _executors.UnionWith(executors.Values);
        _registry = registry;
        _executorOverride = executorOverride;
    }

    /// <summary>
    /// Loads the file with <see cref="WorkflowLoader.LoadFile"/> and validates what it could read: the result holds
    /// the loader's and the validator's diagnostics together, in file order, and the definition.
    /// </summary>
    /// <param name="path">The workflow file.</param>
    /// <param name="executors">Registered custom executors.</param>
    public static ValidationResult ValidateFile(string path, IEnumerable<StepExecutor>? executors = null) =>
        new WorkflowValidator(executors).Combine(WorkflowLoader.LoadFile(path));

    /// <summary>Like <see cref="ValidateFile"/> for YAML text held in memory.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="sourceName">The name diagnostics use for the text.</param>
    /// <param name="executors">Registered custom executors.</param>
    public static ValidationResult ValidateText(string text, string sourceName, IEnumerable<StepExecutor>? executors = null) =>
        new WorkflowValidator(executors).Combine(WorkflowLoader.Parse(text, sourceName));

    /// <summary>Validates <paramref name="definition"/> and plans it (<see cref="ValidationResult.Plan"/>).</summary>
    public ValidationResult Validate(WorkflowDefinition definition) => Validate(definition, null);

    /// <summary>Validates a workflow that <paramref name="chain"/> included (issue 14), or a top-level one when null.</summary>
    internal ValidationResult Validate(WorkflowDefinition definition, IncludeChain? chain)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var plan = WorkflowPlanner.Build(definition, _registry, _executorOverride, chain: chain);
        var run = new Run(this, definition, plan);
        run.Workflow();
        run.Steps();
        var fields = run.Diagnostics.Count;
        run.Expressions();

        // Without locations (a definition built in code) the order is the reading order: fields, graph, expressions.
        IReadOnlyList<Diagnostic> diagnostics = [.. run.Diagnostics.Take(fields), .. plan.Diagnostics, .. run.Diagnostics.Skip(fields)];
        if ((definition.Agents.Count > 0 || plan.Steps.Any(static s => s.Step.Type == "agent")) && _registry.Agents is { } agents)
        {
            diagnostics = [.. diagnostics, .. agents.Validate(definition)];
        }

        return new ValidationResult(DiagnosticOrder.ByLocation(diagnostics)) { Definition = definition, Plan = plan, ImplicitDependencies = plan.ImplicitDependencies };
    }

    /// <summary>The loader's and the validator's diagnostics together, in file order, and the definition and its plan.</summary>
    internal ValidationResult Combine(LoadResult load, IncludeChain? chain = null)
    {
        if (load.Definition is null)
        {
            return new ValidationResult(load.Diagnostics);
        }

        var validation = Validate(load.Definition, chain);
        return validation with { Diagnostics = DiagnosticOrder.ByLocation(load.Diagnostics.Concat(validation.Diagnostics)) };
    }

    // semver.org's recommended pattern.
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    private static bool IsValidId(string id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }

        return true;
    }
}
