using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Flowline.Execution.Tracing;

/// <summary>
/// Turns one run into spans (issue 16, docs/tracing.md): the run's span, a child per step attempt with the step's
/// attributes, failures as span status with the error. Added to the run's observers only when something listens to
/// <see cref="FlowlineTracing.ActivitySourceName"/>, so an untraced run never builds one. A step's process gets its
/// span as <c>TRACEPARENT</c> (<see cref="TraceParent"/>) so the tools it runs can join the trace.
/// </summary>
internal sealed class TracingObserver : IRunObserver
{
    /// <summary>The W3C trace context variable (the OpenTelemetry convention for passing a trace to a child process).</summary>
    public const string TraceParentVariable = "TRACEPARENT";

    private readonly WorkflowDefinition _workflow;
    private readonly ConcurrentDictionary<string, Activity> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _types;
    private Activity? _run;

    private TracingObserver(WorkflowDefinition workflow)
    {
        _workflow = workflow;
        _types = workflow.Steps.ToDictionary(s => s.Id, s => s.Type, StringComparer.Ordinal);
    }

    /// <summary>An observer when something listens to Flowline's traces, else null (and nothing is allocated).</summary>
    public static TracingObserver? IfListening(WorkflowDefinition workflow) =>
        FlowlineTracing.Source.HasListeners() ? new TracingObserver(workflow) : null;

    /// <summary>Starts the run's span; a <c>TRACEPARENT</c> in this process's environment (Flowline run by a traced step) is its parent.</summary>
    public void Start(string runId, DateTimeOffset startTime)
    {
        ActivityContext.TryParse(Environment.GetEnvironmentVariable(TraceParentVariable), null, out var parent);
        var previous = Activity.Current;
        _run = FlowlineTracing.Source.StartActivity(ActivityKind.Internal, parent, name: "run " + _workflow.Name, startTime: startTime);
        _run?.SetTag("flowline.workflow.name", _workflow.Name)
            .SetTag("flowline.workflow.version", _workflow.Version)
            .SetTag("flowline.run.id", runId);
        Activity.Current = previous;
    }

    /// <summary>Ends the run's span with the run's status and error.</summary>
    public WorkflowResult Finish(WorkflowResult result)
    {
        if (_run is { } run)
        {
            run.SetTag("flowline.run.status", Reporting.SummaryReport.Name(result.Status));
            if (result.Status != WorkflowStatus.Completed)
            {
                run.SetStatus(ActivityStatusCode.Error, result.Error ?? Reporting.SummaryReport.Name(result.Status));
            }

            run.Stop();
        }

        // Steps still open (the run stopped before they reported) end with it.
        foreach (var step in _steps.Values)
        {
            step.Stop();
        }

        return result;
    }

    /// <summary>The step's span as a W3C <c>traceparent</c>, for its process's environment; null when it has none.</summary>
    public string? TraceParent(string stepId) => _steps.TryGetValue(stepId, out var step) ? step.Id : null;

    public ValueTask StepStartingAsync(string stepId, int level, DateTimeOffset startTime, int attempt)
    {
        var parent = _run?.Context ?? default;
        var previous = Activity.Current;
        var step = FlowlineTracing.Source.StartActivity(ActivityKind.Internal, parent, name: "step " + stepId, startTime: startTime);
        if (step is not null)
        {
            step.SetTag("flowline.step.id", stepId)
                .SetTag("flowline.step.type", _types.GetValueOrDefault(stepId))
                .SetTag("flowline.step.attempt", attempt)
                .SetTag("flowline.step.level", level);
            if (_steps.TryGetValue(stepId, out var earlier))
            {
                earlier.Stop();
            }

            _steps[stepId] = step;
        }

        // StartActivity made the step current on this thread; the scheduler's next step must not become its child.
        Activity.Current = previous;
        return ValueTask.CompletedTask;
    }

    public void StepStarted(string stepId, DateTimeOffset startTime, int level, int attempt)
    {
    }

    public void StepFinished(string stepId, StepResult result, bool neverRan)
    {
        if (!_steps.TryRemove(stepId, out var step))
        {
            return;
        }

        step.SetTag("flowline.step.status", Reporting.SummaryReport.Name(result.Status));
        if (result.ExitCode is { } exitCode)
        {
            step.SetTag("flowline.step.exit_code", exitCode);
        }

        foreach (var (key, tag) in MetadataTags)
        {
            if (result.Metadata.TryGetValue(key, out var value) && value is not null)
            {
                step.SetTag(tag, value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString());
            }
        }

        if (result.Status is StepStatus.Failed or StepStatus.Cancelled)
        {
            step.SetStatus(ActivityStatusCode.Error, result.Error ?? Reporting.SummaryReport.Name(result.Status));
        }

        if (result.EndTime is { } end)
        {
            step.SetEndTime(end.UtcDateTime);
        }

        step.Stop();
    }

    public void Log(LogEntry entry)
    {
    }

    // What agent steps record (issue 5), under the OpenTelemetry GenAI names where one exists.
    private static readonly (string Key, string Tag)[] MetadataTags =
    [
        ("agent", "flowline.agent.name"),
        ("provider", "flowline.agent.provider"),
        ("model", "gen_ai.request.model"),
        ("inputTokens", "gen_ai.usage.input_tokens"),
        ("outputTokens", "gen_ai.usage.output_tokens"),
        ("totalTokens", "flowline.agent.total_tokens"),
    ];
}
