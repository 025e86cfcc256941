namespace Flowline.Testing;

/// <summary>
/// An in-process executor for tests: steps succeed at once unless a behaviour says otherwise, can be held at a gate
/// until released, and every entry and exit is recorded so tests can check order and concurrency themselves instead of
/// trusting the runner's counters.
/// </summary>
public sealed class FakeStepExecutor : StepExecutor
{
    private static readonly Task<StepExecutionResult> SucceededTask = Task.FromResult(StepExecutionResult.Succeeded());

    private readonly Func<WorkflowStep, StepExecutionContext, CancellationToken, Task<StepExecutionResult>>? _behavior;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource<StepExecutionResult>> _gates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _started = new(StringComparer.Ordinal);
    private readonly List<FakeStepEvent> _events = [];

    /// <summary>Creates a fake for steps of <paramref name="type"/>.</summary>
    /// <param name="type">The step type it runs.</param>
    /// <param name="behavior">What a step does when it is not held; null succeeds synchronously with no output.</param>
    /// <param name="backend">Where it claims to run its steps (<c>executor:</c>): <c>slurm</c> stands in for the Slurm executor of script steps.</param>
    public FakeStepExecutor(
        string type = "fake",
        Func<WorkflowStep, StepExecutionContext, CancellationToken, Task<StepExecutionResult>>? behavior = null,
        string backend = "local")
    {
        Type = type;
        _behavior = behavior;
        Backend = backend;
    }

    /// <inheritdoc />
    public override string Type { get; }

    /// <inheritdoc />
    public override string Backend { get; }

    /// <summary>Every entry and exit so far.</summary>
    public IReadOnlyList<FakeStepEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Ids of the steps that started, in start order.</summary>
    public IReadOnlyList<string> StartOrder => [.. Events.Where(e => e.IsStart).Select(e => e.StepId)];

    /// <summary>Ids of the steps that finished, in finish order.</summary>
    public IReadOnlyList<string> FinishOrder => [.. Events.Where(e => !e.IsStart).Select(e => e.StepId)];

    /// <summary>Makes these steps wait, honouring their cancellation token, until <see cref="Release"/> is called for them.</summary>
    public FakeStepExecutor Hold(params string[] stepIds)
    {
        ArgumentNullException.ThrowIfNull(stepIds);
        lock (_lock)
        {
            foreach (var id in stepIds)
            {
                _gates[id] = new TaskCompletionSource<StepExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return this;
    }

    /// <summary>Lets a held step finish with <paramref name="result"/> (success when null).</summary>
    public void Release(string stepId, StepExecutionResult? result = null)
    {
        TaskCompletionSource<StepExecutionResult> gate;
        lock (_lock)
        {
            gate = _gates[stepId];
        }

        gate.TrySetResult(result ?? StepExecutionResult.Succeeded());
    }

    /// <summary>Completes when the step has entered the executor.</summary>
    public Task WhenStarted(string stepId) => StartedSource(stepId).Task;

    /// <summary>True once the step has entered the executor.</summary>
    public bool HasStarted(string stepId) => StartedSource(stepId).Task.IsCompleted;

    /// <summary>The most steps inside the executor at once, counting only those <paramref name="counts"/> selects (all when null).</summary>
    public int MaxConcurrency(Func<string, bool>? counts = null)
    {
        var current = 0;
        var max = 0;
        foreach (var e in Events)
        {
            if (counts is not null && !counts(e.StepId))
            {
                continue;
            }

            current += e.IsStart ? 1 : -1;
            max = Math.Max(max, current);
        }

        return max;
    }

    /// <summary>The most steps inside the executor at once while <paramref name="stepId"/> was inside it (itself included).</summary>
    public int MaxConcurrencyWhile(string stepId)
    {
        var running = new HashSet<string>(StringComparer.Ordinal);
        var max = 0;
        foreach (var e in Events)
        {
            if (e.IsStart)
            {
                running.Add(e.StepId);
            }
            else
            {
                running.Remove(e.StepId);
            }

            if (running.Contains(stepId))
            {
                max = Math.Max(max, running.Count);
            }
        }

        return max;
    }

    /// <inheritdoc />
    public override Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        TaskCompletionSource<StepExecutionResult>? gate;
        lock (_lock)
        {
            _events.Add(new FakeStepEvent(step.Id, IsStart: true));
            _gates.TryGetValue(step.Id, out gate);
        }

        StartedSource(step.Id).TrySetResult();
        Task<StepExecutionResult> work;
        try
        {
            work = gate is not null
                ? gate.Task.WaitAsync(cancellationToken)
                : _behavior?.Invoke(step, context, cancellationToken) ?? SucceededTask;
        }
        catch
        {
            Exit(step.Id);
            throw;
        }

        if (work.IsCompleted)
        {
            Exit(step.Id);
            return work;
        }

        return Awaited(step.Id, work);
    }

    private async Task<StepExecutionResult> Awaited(string stepId, Task<StepExecutionResult> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        finally
        {
            Exit(stepId);
        }
    }

    private void Exit(string stepId)
    {
        lock (_lock)
        {
            _events.Add(new FakeStepEvent(stepId, IsStart: false));
        }
    }

    private TaskCompletionSource StartedSource(string stepId)
    {
        lock (_lock)
        {
            if (!_started.TryGetValue(stepId, out var source))
            {
                source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _started[stepId] = source;
            }

            return source;
        }
    }
}
