using System.Collections.Concurrent;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// Runs a server started in this process and that have not ended, by run id (<c>flowline mcp</c>'s run_workflow,
/// issue 16; <c>flowline serve</c>'s start and resume buttons, issue 17). Each is an ordinary recorded run whose
/// reports are written as <c>flowline run</c> writes them; cancelling one makes the runner stop its steps and kill
/// each step's process tree, and the server cancels what is left when it stops.
/// </summary>
internal sealed class BackgroundRuns
{
    private readonly ConcurrentDictionary<string, ActiveRun> _runs = new(StringComparer.Ordinal);

    /// <summary>Starts <paramref name="plan"/> with <paramref name="options"/> (which name the run id) on the thread pool.</summary>
    public ActiveRun Start(WorkflowRunner runner, WorkflowPlan plan, ExecutionOptions options, CliConsole console)
    {
        var runId = options.RunId ?? throw new ArgumentException("A background run needs its RunId set, so it can be found again.", nameof(options));
        var cancellation = new CancellationTokenSource();
        var run = new ActiveRun(runId, plan.Workflow, cancellation);
        _runs[runId] = run;
        run.Completion = Task.Run(() => ExecuteAsync(runner, plan, options, run, cancellation, console), CancellationToken.None);
        return run;
    }

    public ActiveRun? Find(string runId) => _runs.GetValueOrDefault(runId);

    /// <summary>Returns once the run's row is in <paramref name="store"/> (written before the first step starts) or the run has ended.</summary>
    public static async Task WaitForRowAsync(IRunReader store, ActiveRun run, CancellationToken cancellationToken)
    {
        while (!run.Completion.IsCompleted && await store.GetRunAsync(run.RunId, cancellationToken) is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>Cancels every run still going and waits for each to end (they kill their processes on the way).</summary>
    public async Task CancelAllAsync()
    {
        foreach (var run in _runs.Values)
        {
            await run.CancelAsync();
        }

        await Task.WhenAll(_runs.Values.Select(r => r.Completion));
    }

    // Runs, then writes the reports as `flowline run` does; a failure of the server itself is logged, never thrown into nowhere.
    private async Task ExecuteAsync(WorkflowRunner runner, WorkflowPlan plan, ExecutionOptions options, ActiveRun run, CancellationTokenSource cancellation, CliConsole console)
    {
        try
        {
            var result = await runner.ExecuteAsync(plan, options, cancellation.Token);
            await new RunReports(null, null, null, ReportOptions.StepSummary()).WriteAsync(runner, plan.Workflow, result, console);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await console.Error.WriteLineAsync($"error: run {run.RunId} failed in the server: {exception.Message}");
        }
        finally
        {
            _runs.TryRemove(run.RunId, out _);
            cancellation.Dispose();
        }
    }
}

/// <summary>One run going on in this process.</summary>
internal sealed class ActiveRun(string runId, WorkflowDefinition workflow, CancellationTokenSource cancellation)
{
    public string RunId { get; } = runId;

    public WorkflowDefinition Workflow { get; } = workflow;

    /// <summary>Completes (never faults) once the run has ended and its reports are written.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public Task CancelAsync() => cancellation.CancelAsync();
}
