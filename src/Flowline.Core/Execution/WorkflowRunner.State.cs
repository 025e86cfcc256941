using Flowline.Execution;
using Flowline.Scheduling;
using Flowline.State;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    // How many of the workflow's latest runs give each step its expected duration (their median).
    private const int HistoryRuns = 3;

    // Only runs with a store or a snapshot come here, so a run without state never pays for any of it (issue #6).
    private async Task<WorkflowResult> ExecuteWithStateAsync(
        WorkflowDefinition workflow,
        ExecutionOptions options,
        Dictionary<string, StepExecutor> executors,
        CancellationToken cancellationToken)
    {
        if (options.RunStore is not null && string.IsNullOrEmpty(options.RunId))
        {
            options = options with { RunId = UlidGenerator.Shared.NewId() };
        }

        if (options.ResumeFrom is { Variables.Count: > 0 } resumed && options.Variables.Count == 0)
        {
            options = options with { Variables = StateValues.FromElements(resumed.Variables) };
        }

        string? historyWarning = null;
        if (options.ExpectedDurations is null && options.RunStore is { } history)
        {
            try
            {
                var durations = await history.GetStepDurationsAsync(
                    workflow.Name, RunRecorder.WorkflowPathOf(workflow), HistoryRuns, cancellationToken).ConfigureAwait(false);
                options = options with { ExpectedDurations = durations };
            }
            catch (Exception exception) when (exception is RunStoreException or OperationCanceledException)
            {
                historyWarning = $"warning: the durations of earlier runs could not be read, so ready steps are ordered by the number of steps ahead of them: {exception.Message}";
            }
        }

        var preparation = Prepare(workflow, options, out var graph);
        var run = new WorkflowRun(this, workflow, options, executors, preparation, _timeProvider, graph);
        run.Context.Attach(run);
        if (historyWarning is not null)
        {
            run.Context.Write(null, LogStream.Info, historyWarning);
        }

        if (options.ResumeFrom is { } snapshot)
        {
            run.Context.RestoreFromSnapshot(snapshot);
        }

        Volatile.Write(ref _current, run);
        if (options.RunStore is not { } store)
        {
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        var logs = options.StateDirectory ?? (store as SqliteRunStore)?.Directory;
        var recorder = new RunRecorder(
            run.Context.RunId,
            store,
            logs,
            options.OutputLimitBytes,
            _timeProvider,
            warning => run.Context.Write(null, LogStream.Info, warning));
        await using (recorder.ConfigureAwait(false))
        {
            await recorder.StartAsync(workflow, options, CancellationToken.None).ConfigureAwait(false);
            run.Recorder = recorder;
            var result = await run.RunAsync(cancellationToken).ConfigureAwait(false);
            await recorder.FinishAsync(result).ConfigureAwait(false);
            return result;
        }
    }
}
