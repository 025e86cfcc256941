using System.Collections.Concurrent;
using Flowline.Agents;
using Flowline.Agents.Chat;
using Flowline.Agents.Commands;
using Flowline.Expressions;

namespace Flowline.Core.Tests.Agents.Support;

/// <summary>Builds workflows, contexts and an executor for agent tests, and collects everything they log.</summary>
internal sealed class AgentHarness : IDisposable
{
    public AgentHarness(RetryPolicy? retry = null)
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("flowline-agents-").FullName;
        Executor = new AgentStepExecutor(
            new AgentCatalogOptions { UseUserConfig = false, WorkflowDirectory = WorkingDirectory },
            retry,
            processEnvironment: _ => null);
    }

    public string WorkingDirectory { get; }

    public AgentStepExecutor Executor { get; }

    public ConcurrentQueue<(string Line, LogStream Stream)> Logs { get; } = new();

    /// <summary>Called with every logged line, as it is logged.</summary>
    public Action<string>? OnLog { get; set; }

    public IReadOnlyList<string> LogLines => [.. Logs.Select(l => l.Line)];

    public static IReadOnlyDictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> AgentMap(
        params (string Name, IReadOnlyDictionary<string, object?> Settings)[] agents) =>
        agents.ToDictionary(a => a.Name, a => a.Settings, StringComparer.Ordinal);

    public static WorkflowStep Step(
        string id,
        string agent,
        string? prompt,
        IReadOnlyDictionary<string, object?>? parameters = null,
        TimeSpan? timeout = null) => new()
        {
            Id = id,
            Name = id,
            Type = "agent",
            Config = new AgentStepConfig
            {
                Agent = agent,
                Prompt = prompt,
                Parameters = parameters ?? Map(),
                Timeout = timeout,
            },
        };

    public static WorkflowDefinition Workflow(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>? agents,
        params WorkflowStep[] steps) => new()
        {
            Name = "agent-tests",
            Version = "1.0.0",
            Agents = agents ?? AgentMap(),
            Steps = steps,
        };

    public StepExecutionContext Context(
        WorkflowDefinition workflow,
        TimeProvider? timeProvider = null,
        IReadOnlyDictionary<string, string>? environment = null,
        IExpressionScope? scope = null) =>
        new("run-1", workflow, WorkingDirectory, environment ?? new Dictionary<string, string>(), timeProvider ?? TimeProvider.System, 1,
            (line, stream) =>
            {
                Logs.Enqueue((line, stream));
                OnLog?.Invoke(line);
            })
        {
            ExpressionScope = scope,
        };

    public Task<StepExecutionResult> RunAsync(
        WorkflowDefinition workflow,
        string stepId,
        TimeProvider? timeProvider = null,
        IReadOnlyDictionary<string, string>? environment = null,
        IExpressionScope? scope = null,
        CancellationToken cancellationToken = default) =>
        Executor.ExecuteAsync(
            workflow.Steps.Single(s => s.Id == stepId),
            Context(workflow, timeProvider, environment, scope),
            cancellationToken);

    /// <summary>Everything a run produced that a person or a report could see, as one text to scan for secrets.</summary>
    public string EverythingShown(StepExecutionResult result) =>
        string.Join('\n', LogLines) + "\n" + result.Error + "\n" + ValueFormatter.Render(result.Output) + "\n"
        + result.Stdout + "\n" + result.Stderr + "\n"
        + string.Join('\n', result.Metadata.Select(m => $"{m.Key}={ValueFormatter.Render(m.Value)}")) + "\n" + result;

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A clock whose timers fire at once: retry back-off completes without waiting, and the requested delays are
/// recorded so tests can check them. Only for tests without a step timeout (its timer would fire at once too).
/// </summary>
internal sealed class ImmediateTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Delays.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
