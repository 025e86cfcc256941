using System.Collections.Concurrent;

namespace Flowline.Cli.Mcp;

/// <summary>
/// The runs this server started that have not ended, by run id: <c>cancel_run</c> cancels them (the runner stops
/// their steps and kills each step's process tree), and the server cancels what is left when it stops.
/// </summary>
internal sealed class McpRuns
{
    private readonly ConcurrentDictionary<string, ActiveRun> _runs = new(StringComparer.Ordinal);

    public void Add(ActiveRun run) => _runs[run.RunId] = run;

    public void Remove(string runId) => _runs.TryRemove(runId, out _);

    public ActiveRun? Find(string runId) => _runs.GetValueOrDefault(runId);

    /// <summary>Cancels every run still going and waits for each to end (they kill their processes on the way).</summary>
    public async Task CancelAllAsync()
    {
        foreach (var run in _runs.Values)
        {
            await run.CancelAsync();
        }

        await Task.WhenAll(_runs.Values.Select(r => r.Completion));
    }
}

/// <summary>One run going on in this server.</summary>
internal sealed class ActiveRun(string runId, WorkflowDefinition workflow, CancellationTokenSource cancellation)
{
    public string RunId { get; } = runId;

    public WorkflowDefinition Workflow { get; } = workflow;

    /// <summary>Completes (never faults) once the run has ended and its reports are written.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public Task CancelAsync() => cancellation.CancelAsync();
}
