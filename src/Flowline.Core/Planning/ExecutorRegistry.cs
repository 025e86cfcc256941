using Flowline.Execution.Script;

namespace Flowline.Planning;

/// <summary>
/// The executors a plan may use, by step type and backend (issue 12): the registered ones over the built-in
/// <c>script</c> and <c>agent</c>. The built-in agent executor is made only when a step needs it: it loads
/// Microsoft.Extensions.AI, which a plain <c>flowline validate</c> never needs (issue 7, B5).
/// </summary>
internal sealed class ExecutorRegistry
{
    private static readonly string[] BuiltInTypes = ["script", "agent", "workflow"];
    private static readonly ExecutorKey LocalAgent = new("agent", ExecutorKey.Local);

    private readonly Dictionary<ExecutorKey, StepExecutor> _executors;
    private readonly bool _lazyAgent;
    private AgentStepExecutor? _agent;

    /// <summary>A registry of exactly <paramref name="executors"/> (a runner's, which registers the built-ins itself).</summary>
    public ExecutorRegistry(IReadOnlyDictionary<ExecutorKey, StepExecutor> executors)
    {
        _executors = new Dictionary<ExecutorKey, StepExecutor>(executors);
        KnownTypes = [.. _executors.Keys.Select(static k => k.Type).Distinct(StringComparer.Ordinal)];
        AllBackends = BackendsOf(_executors.Keys);
    }

    /// <summary>The built-ins plus <paramref name="executors"/>, each keyed by its <see cref="StepExecutor.Type"/> and <see cref="StepExecutor.Backend"/>.</summary>
    public ExecutorRegistry(IEnumerable<StepExecutor>? executors)
    {
        _executors = [];
        foreach (var executor in CreateBuiltIns().Concat(executors ?? []))
        {
            _executors[ExecutorKey.Of(executor)] = executor;
        }

        _lazyAgent = !_executors.ContainsKey(LocalAgent);
        KnownTypes = [.. BuiltInTypes.Concat(_executors.Keys.Select(static k => k.Type)).Distinct(StringComparer.Ordinal)];
        AllBackends = BackendsOf(_executors.Keys);
    }

    private static string[] BackendsOf(IEnumerable<ExecutorKey> keys) =>
        [.. ExecutorKey.FileBackends.Concat(keys.Select(static k => k.Backend)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The built-in executors of process steps, made for every runner and every standalone validator: the one place
    /// a built-in backend is added. (The agent executor is built lazily here and by the runner itself.)
    /// </summary>
    public static IEnumerable<StepExecutor> CreateBuiltIns()
    {
        yield return new ScriptStepExecutor();
        yield return new Execution.Slurm.SlurmStepExecutor();
        yield return new Execution.Nested.WorkflowStepExecutor();
    }

    /// <summary>The step types that have an executor.</summary>
    public IReadOnlyList<string> KnownTypes { get; }

    /// <summary>The agent executor when it is the built-in one or a registered <see cref="AgentStepExecutor"/>; null when a custom executor replaced it.</summary>
    public AgentStepExecutor? Agents => _lazyAgent
        ? LazyInitializer.EnsureInitialized(ref _agent, static () => new AgentStepExecutor())
        : _executors.GetValueOrDefault(LocalAgent) as AgentStepExecutor;

    /// <summary>Whether any executor runs steps of <paramref name="type"/>, on any backend.</summary>
    public bool HasType(string type) => KnownTypes.Contains(type, StringComparer.Ordinal);

    /// <summary>The backends registered for steps of <paramref name="type"/>, local first.</summary>
    public IReadOnlyList<string> BackendsOf(string type) =>
        [.. _executors.Keys.Where(k => k.Type == type).Select(static k => k.Backend)
            .Concat(_lazyAgent && type == "agent" ? [ExecutorKey.Local] : [])
            .Distinct(StringComparer.Ordinal)
            .OrderBy(static b => b == ExecutorKey.Local ? 0 : 1).ThenBy(static b => b, StringComparer.Ordinal)];

    /// <summary>Every backend some executor is registered for, and those a file may name.</summary>
    public IReadOnlyList<string> AllBackends { get; }

    public bool TryGet(string type, string backend, out StepExecutor? executor)
    {
        if (_executors.TryGetValue(new ExecutorKey(type, backend), out executor))
        {
            return true;
        }

        executor = _lazyAgent && type == "agent" && backend == ExecutorKey.Local ? Agents : null;
        return executor is not null;
    }

    /// <summary>The executors as used so far, by type and backend (for <see cref="WorkflowPlan.Describes"/>).</summary>
    public IReadOnlyDictionary<ExecutorKey, StepExecutor> Snapshot()
    {
        if (_agent is null)
        {
            return _executors;
        }

        return new Dictionary<ExecutorKey, StepExecutor>(_executors) { [LocalAgent] = _agent };
    }
}
