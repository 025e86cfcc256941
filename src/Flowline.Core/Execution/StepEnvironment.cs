using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Flowline.Execution;

/// <summary>
/// A step's environment: workflow env, then step env, then the <c>FLOWLINE_*</c> variables (later wins). Merged on
/// first use, so executors that never read it (in-process steps) cost no dictionary.
/// </summary>
internal sealed class StepEnvironment : IReadOnlyDictionary<string, string>
{
    public const string RunIdVariable = "FLOWLINE_RUN_ID";
    public const string WorkflowVariable = "FLOWLINE_WORKFLOW";
    public const string StepIdVariable = "FLOWLINE_STEP_ID";
    public const string AttemptVariable = "FLOWLINE_ATTEMPT";

    private readonly IReadOnlyDictionary<string, string> _workflowEnv;
    private readonly IReadOnlyDictionary<string, string> _stepEnv;
    private readonly string _runId;
    private readonly string _workflowName;
    private readonly string _stepId;
    private readonly int _attempt;
    private readonly string? _traceParent;
    private Dictionary<string, string>? _merged;

    public StepEnvironment(
        IReadOnlyDictionary<string, string> workflowEnv,
        IReadOnlyDictionary<string, string> stepEnv,
        string runId,
        string workflowName,
        string stepId,
        int attempt,
        string? traceParent = null)
    {
        _traceParent = traceParent;
        _workflowEnv = workflowEnv;
        _stepEnv = stepEnv;
        _runId = runId;
        _workflowName = workflowName;
        _stepId = stepId;
        _attempt = attempt;
    }

    private Dictionary<string, string> Merged => _merged ??= Merge();

    public string this[string key] => Merged[key];

    public IEnumerable<string> Keys => Merged.Keys;

    public IEnumerable<string> Values => Merged.Values;

    public int Count => Merged.Count;

    public bool ContainsKey(string key) => Merged.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Merged.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Merged.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<string, string> Merge()
    {
        var merged = new Dictionary<string, string>(_workflowEnv.Count + _stepEnv.Count + 4, StringComparer.Ordinal);
        foreach (var (key, value) in _workflowEnv)
        {
            merged[key] = value;
        }

        foreach (var (key, value) in _stepEnv)
        {
            merged[key] = value;
        }

        merged[RunIdVariable] = _runId;
        merged[WorkflowVariable] = _workflowName;
        merged[StepIdVariable] = _stepId;
        merged[AttemptVariable] = _attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_traceParent is not null)
        {
            // The step's span (issue 16): tools the step runs that speak OpenTelemetry join the run's trace.
            merged[Tracing.TracingObserver.TraceParentVariable] = _traceParent;
        }
        return merged;
    }
}
