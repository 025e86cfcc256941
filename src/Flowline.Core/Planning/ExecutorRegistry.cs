using Flowline.Execution.Script;

namespace Flowline.Planning;

/// <summary>
/// The executors a plan may use, by step type: the registered ones over the built-in <c>script</c> and
/// <c>agent</c>. The built-in agent executor is made only when a step needs it: it loads Microsoft.Extensions.AI,
/// which a plain <c>flowline validate</c> never needs (issue 7, B5).
/// </summary>
internal sealed class ExecutorRegistry
{
    private static readonly string[] BuiltInTypes = ["script", "agent"];

    private readonly Dictionary<string, StepExecutor> _executors;
    private readonly bool _lazyAgent;
    private AgentStepExecutor? _agent;

    /// <summary>A registry of exactly <paramref name="executors"/> (a runner's, which registers the built-ins itself).</summary>
    public ExecutorRegistry(IReadOnlyDictionary<string, StepExecutor> executors)
    {
        _executors = new Dictionary<string, StepExecutor>(executors, StringComparer.Ordinal);
        KnownTypes = [.. _executors.Keys];
    }

    /// <summary>The built-ins plus <paramref name="executors"/>, each keyed by its <see cref="StepExecutor.Type"/>.</summary>
    public ExecutorRegistry(IEnumerable<StepExecutor>? executors)
    {
        _executors = new Dictionary<string, StepExecutor>(StringComparer.Ordinal) { ["script"] = new ScriptStepExecutor() };
        foreach (var executor in executors ?? [])
        {
            _executors[executor.Type] = executor;
        }

        _lazyAgent = !_executors.ContainsKey("agent");
        KnownTypes = [.. BuiltInTypes.Concat(_executors.Keys).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The step types that have an executor.</summary>
    public IReadOnlyList<string> KnownTypes { get; }

    /// <summary>The agent executor when it is the built-in one or a registered <see cref="AgentStepExecutor"/>; null when a custom executor replaced it.</summary>
    public AgentStepExecutor? Agents => _lazyAgent
        ? LazyInitializer.EnsureInitialized(ref _agent, static () => new AgentStepExecutor())
        : _executors.GetValueOrDefault("agent") as AgentStepExecutor;

    public bool TryGet(string type, out StepExecutor? executor)
    {
        if (_executors.TryGetValue(type, out executor))
        {
            return true;
        }

        executor = _lazyAgent && type == "agent" ? Agents : null;
        return executor is not null;
    }

    /// <summary>The executors as used so far, by type (for <see cref="WorkflowPlan.Describes"/>).</summary>
    public IReadOnlyDictionary<string, StepExecutor> Snapshot()
    {
        if (_agent is null)
        {
            return _executors;
        }

        return new Dictionary<string, StepExecutor>(_executors, StringComparer.Ordinal) { ["agent"] = _agent };
    }
}
