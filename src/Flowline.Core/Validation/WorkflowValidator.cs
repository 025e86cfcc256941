using System.Text.RegularExpressions;

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

    private static readonly string[] BuiltInTypes = ["script", "agent"];

    private readonly Dictionary<string, StepExecutor> _executors = new(StringComparer.Ordinal);
    private readonly string[] _knownTypes;

    // Checks the agents: map, the agents files and the agent names of steps (FL40xx): the registered "agent" executor
    // when it is one (null when a custom executor replaces "agent"), else the built-in one. That one is made only for a
    // workflow with agents: building it loads Microsoft.Extensions.AI, which a plain `flowline validate` never needs
    // (issue 7, B5).
    private readonly AgentStepExecutor? _agents;
    private readonly bool _builtInAgents;
    private AgentStepExecutor? _lazyAgents;

    /// <summary>Creates a validator that knows the built-in step types and those of <paramref name="executors"/>.</summary>
    /// <param name="executors">Registered custom executors; each validates the config of its own steps.</param>
    public WorkflowValidator(IEnumerable<StepExecutor>? executors = null)
    {
        foreach (var executor in executors ?? [])
        {
            _executors[executor.Type] = executor;
        }

        _knownTypes = [.. BuiltInTypes.Concat(_executors.Keys).Distinct(StringComparer.Ordinal)];
        _builtInAgents = !_executors.TryGetValue("agent", out var agents);
        _agents = agents as AgentStepExecutor;
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

    /// <summary>Validates <paramref name="definition"/>.</summary>
    public ValidationResult Validate(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var run = new Run(this, definition);
        run.Workflow();
        run.Steps();
        run.Expressions();
        run.Cycles();
        var diagnostics = run.Diagnostics;
        if ((_builtInAgents || _agents is not null) && (definition.Agents.Count > 0 || definition.Steps.Any(s => s.Config is AgentStepConfig)))
        {
            var agents = _builtInAgents ? LazyInitializer.EnsureInitialized(ref _lazyAgents, static () => new AgentStepExecutor()) : _agents!;
            diagnostics = [.. diagnostics, .. agents.Validate(definition)];
        }

        return new ValidationResult(diagnostics) { Definition = definition, ImplicitDependencies = run.ImplicitDependencies };
    }

    private ValidationResult Combine(LoadResult load)
    {
        if (load.Definition is null)
        {
            return new ValidationResult(load.Diagnostics);
        }

        var validation = Validate(load.Definition);
        return new ValidationResult(DiagnosticOrder.ByLocation(load.Diagnostics.Concat(validation.Diagnostics)))
        {
            Definition = load.Definition,
            ImplicitDependencies = validation.ImplicitDependencies,
        };
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

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(static n => $"'{n}'"));
}
