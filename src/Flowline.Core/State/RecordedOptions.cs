using System.Text.Json;

namespace Flowline.State;

/// <summary>
/// The run options a store keeps in <see cref="RunRecord.Options"/> (and a snapshot in
/// <see cref="WorkflowSnapshot.Options"/>): those worth replaying on resume, the run it resumed, and each step's
/// dependencies when it ran, so a resume can tell which edits to the file break the run (docs/state.md "Recording a
/// run"). <see cref="Read"/> turns the stored JSON back into values; the engine writes it, and both sides live here
/// so the JSON keys are spelled in one place (issue 11).
/// </summary>
public sealed record RecordedOptions
{
    private const string ContinueOnErrorKey = "continueOnError";
    private const string ParallelEnabledKey = "parallelEnabled";
    private const string MaxConcurrencyKey = "maxConcurrency";
    private const string TimeoutKey = "timeoutMs";
    private const string ResumedFromKey = "resumedFrom";
    private const string DependsOnKey = "dependsOn";
    private const string ExecutorKey = "executor";

    /// <summary>The run kept going after a failure (<see cref="ExecutionOptions.ContinueOnError"/>).</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>The run's <see cref="ExecutionOptions.ParallelEnabled"/>; null when it was not set.</summary>
    public bool? ParallelEnabled { get; init; }

    /// <summary>The run's <see cref="ExecutionOptions.MaxConcurrency"/>; null when it was not set.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>The run's <see cref="ExecutionOptions.Timeout"/>, to the millisecond; null when it had none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The run's <see cref="ExecutionOptions.Executor"/> (<c>flowline run --executor</c>, issue 12), so that a resume
    /// runs its script steps on the same backend; null when the run followed the file.
    /// </summary>
    public string? Executor { get; init; }

    /// <summary>The id of the run this one resumed; null for a fresh run.</summary>
    public string? ResumedFrom { get; init; }

    /// <summary>
    /// Each step's <c>dependsOn</c> as the workflow had it when the run started, by step id; empty when the run did not
    /// record it.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DependsOn { get; init; } = EmptyMap<IReadOnlyList<string>>.Instance;

    /// <summary>
    /// Reads the options a run recorded. Never throws: a key that is missing or holds a value of the wrong kind (a
    /// hand-edited database) reads as not set.
    /// </summary>
    public static RecordedOptions Read(IReadOnlyDictionary<string, JsonElement> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RecordedOptions
        {
            ContinueOnError = options.TryGetValue(ContinueOnErrorKey, out var c) && c.ValueKind == JsonValueKind.True,
            ParallelEnabled = options.TryGetValue(ParallelEnabledKey, out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null,
            MaxConcurrency = options.TryGetValue(MaxConcurrencyKey, out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var max) ? max : null,
            Timeout = options.TryGetValue(TimeoutKey, out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var ms) ? TimeSpan.FromMilliseconds(ms) : null,
            Executor = options.TryGetValue(ExecutorKey, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null,
            ResumedFrom = options.TryGetValue(ResumedFromKey, out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null,
            DependsOn = ReadDependsOn(options),
        };
    }

    /// <summary>The options to run with again: the recorded ones, nothing else (variables come from the snapshot).</summary>
    internal ExecutionOptions ToExecutionOptions() => new()
    {
        ContinueOnError = ContinueOnError,
        ParallelEnabled = ParallelEnabled,
        MaxConcurrency = MaxConcurrency,
        Timeout = Timeout,
        Executor = Executor,
    };

    /// <summary>What a run records of <paramref name="options"/> and <paramref name="workflow"/>'s graph; <see cref="Read"/> reads it back.</summary>
    internal static Dictionary<string, JsonElement> Write(WorkflowDefinition workflow, ExecutionOptions options)
    {
        // Only what differs from the defaults, so a plain run records little; the order is the stored JSON's order.
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (options.ContinueOnError)
        {
            values[ContinueOnErrorKey] = true;
        }

        if (options.ParallelEnabled is { } parallel)
        {
            values[ParallelEnabledKey] = parallel;
        }

        if (options.MaxConcurrency is { } max)
        {
            values[MaxConcurrencyKey] = max;
        }

        if (options.Timeout is { } timeout)
        {
            values[TimeoutKey] = (long)timeout.TotalMilliseconds;
        }

        if (options.Executor is { } executor)
        {
            values[ExecutorKey] = executor;
        }

        if (options.ResumeFrom is { } resumed)
        {
            values[ResumedFromKey] = resumed.RunId;
        }

        var graph = new Dictionary<string, object?>(workflow.Steps.Count, StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            graph[step.Id] = step.DependsOn;
        }

        values[DependsOnKey] = graph;
        return new Dictionary<string, JsonElement>(StateValues.ToElements(values), StringComparer.Ordinal);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadDependsOn(IReadOnlyDictionary<string, JsonElement> options)
    {
        if (!options.TryGetValue(DependsOnKey, out var graph) || graph.ValueKind != JsonValueKind.Object)
        {
            return EmptyMap<IReadOnlyList<string>>.Instance;
        }

        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var step in graph.EnumerateObject())
        {
            map[step.Name] = step.Value.ValueKind == JsonValueKind.Array
                ? [.. step.Value.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)]
                : [];
        }

        return map;
    }
}
