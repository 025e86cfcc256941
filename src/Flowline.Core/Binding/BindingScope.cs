using System.Globalization;
using Flowline.Execution;
using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>
/// What a step's condition and templates can read (docs/expressions.md "Paths"): <c>env</c> (the step's effective
/// environment from the workflow file, never the runner's own process environment), <c>variables</c>,
/// <c>steps</c>, <c>workflow</c>, <c>run</c>, and any roots an executor adds (<c>parameters</c>, <c>prompt</c>).
/// </summary>
internal sealed class BindingScope : IExpressionScope
{
    private readonly RunRoots _run;
    private readonly IReadOnlyDictionary<string, object?> _env;
    private readonly string _stepId;
    private readonly IReadOnlyDictionary<string, object?>? _extra;
    private ExpressionStatus? _status;
    private IReadOnlyDictionary<string, object?>? _workflow;
    private Random? _random;

    public BindingScope(RunRoots run, IReadOnlyDictionary<string, object?> env, string stepId, IReadOnlyDictionary<string, object?>? extra = null)
    {
        _run = run;
        _env = env;
        _stepId = stepId;
        _extra = extra;
    }

    /// <summary>
    /// Like GitHub Actions' <c>needs</c>: <c>failure()</c> is true when a step this one depends on, directly or
    /// through others (implicit dependencies included), has failed. Computed on first use only.
    /// </summary>
    public ExpressionStatus Status => _status ??= new ExpressionStatus(_run.State.AnyAncestorFailed(_stepId), _run.State.IsCancelled);

    public TimeProvider TimeProvider => _run.TimeProvider;

    /// <summary><c>random()</c>'s source: seeded per step when the run has <see cref="ExecutionOptions.RandomSeed"/>.</summary>
    public Random Random => _random ??= _run.RandomSeed is { } seed ? new Random(StepSeed(seed, _stepId)) : Random.Shared;

    // FNV-1a over the step id, not string.GetHashCode, which changes from process to process.
    private static int StepSeed(int seed, string stepId)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in stepId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    public bool TryGetRoot(string name, out object? value)
    {
        if (_extra is not null && _extra.TryGetValue(name, out value))
        {
            return true;
        }

        value = name switch
        {
            "env" => _env,
            "variables" => _run.Variables,
            "secrets" => _run.State.Secrets,
            "steps" => _run.Steps,
            "workflow" => _workflow ??= _run.WorkflowFor(_stepId),
            "run" => _run.Run,
            _ => null,
        };
        return value is not null;
    }
}

/// <summary>The roots that are the same for every step of a run.</summary>
internal sealed class RunRoots
{
    /// <param name="state">The run.</param>
    /// <param name="timeProvider">The run's clock, for <c>now()</c>.</param>
    /// <param name="startTime">When the run started, for <c>workflow.startTime</c>.</param>
    /// <param name="randomSeed">The run's <see cref="ExecutionOptions.RandomSeed"/>.</param>
    public RunRoots(IStepRunState state, TimeProvider timeProvider, DateTimeOffset startTime, int? randomSeed = null)
    {
        RandomSeed = randomSeed;
        State = state;
        TimeProvider = timeProvider;
        Variables = state.Variables;
        Steps = new StepsRoot(state);
        StartTime = startTime.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
        Run = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = state.RunId };
    }

    public IStepRunState State { get; }

    public int? RandomSeed { get; }

    public TimeProvider TimeProvider { get; }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    public StepsRoot Steps { get; }

    /// <summary>The run's start as <c>now()</c> spells a time: ISO 8601 in UTC, to the millisecond.</summary>
    public string StartTime { get; }

    public IReadOnlyDictionary<string, object?> Run { get; }

    /// <summary>The <c>workflow</c> root as step <paramref name="stepId"/> sees it: the same for every step but <c>currentStepId</c>.</summary>
    public IReadOnlyDictionary<string, object?> WorkflowFor(string stepId) => new Dictionary<string, object?>(4, StringComparer.Ordinal)
    {
        ["name"] = State.Workflow.Name,
        ["version"] = State.Workflow.Version,
        ["startTime"] = StartTime,
        ["currentStepId"] = stepId,
    };
}
