using Flowline.Binding;
using Flowline.Execution;
using Flowline.Execution.Tracing;
using Flowline.Planning;
using Flowline.Scheduling;
using Flowline.State;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    // How many of the workflow's latest runs give each step its expected duration (their median).
    private const int HistoryRuns = 3;

    private static int _launcherWarmedUp;

    /// <summary>
    /// Runs <paramref name="workflow"/> to its end. Step failures, timeouts and cancellation are reported in the result,
    /// never thrown. A definition the runner cannot execute (unknown step type or resource, cycle) gives a
    /// <see cref="WorkflowStatus.Failed"/> result in which no step ran.
    /// </summary>
    /// <param name="workflow">The workflow, ideally validated first.</param>
    /// <param name="options">Variables, limits and error policy; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run: running steps are cancelled, pending ones skipped, status <see cref="WorkflowStatus.Cancelled"/>.</param>
    /// <exception cref="InvalidOperationException">This runner is already executing a workflow.</exception>
    public Task<WorkflowResult> ExecuteAsync(
        WorkflowDefinition workflow,
        ExecutionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return ExecuteCoreAsync(workflow, null, options ?? DefaultOptions, cancellationToken);
    }

    /// <summary>
    /// Runs a plan from <see cref="Validate"/> to its end, as <see cref="ExecuteAsync(WorkflowDefinition, ExecutionOptions?, CancellationToken)"/>
    /// does. A plan made with other executors than this runner's (by a standalone <see cref="WorkflowValidator"/>) is
    /// planned again with this runner's.
    /// </summary>
    /// <param name="plan">The plan; <see cref="WorkflowPlan.Problems"/> make the run fail without running any step.</param>
    /// <param name="options">Variables, limits and error policy; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="InvalidOperationException">This runner is already executing a workflow.</exception>
    public Task<WorkflowResult> ExecuteAsync(
        WorkflowPlan plan,
        ExecutionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ExecuteCoreAsync(plan.Workflow, plan, options ?? DefaultOptions, cancellationToken);
    }

    private async Task<WorkflowResult> ExecuteCoreAsync(WorkflowDefinition workflow, WorkflowPlan? plan, ExecutionOptions options, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                "This WorkflowRunner is already executing a workflow; wait for that run to finish or use one runner per concurrent run.");
        }

        try
        {
            plan = PlanFor(workflow, plan, options.Executor);
            if (plan.RunsProcesses && Interlocked.Exchange(ref _launcherWarmedUp, 1) == 0)
            {
                // The launcher's one-time work (reaper thread, first pipe read) overlaps the run's start instead of
                // delaying its first process step (issue #7); steps that start no process never pay for it.
                _ = Task.Run(Execution.Processes.ProcessLauncher.WarmUpAsync, CancellationToken.None);
            }
            if (options.RunStore is null && options.ResumeFrom is null)
            {
                if (workflow.Variables.Count == 0)
                {
                    var untracked = StartRun(plan.WithVariables(options.Variables), options, null, out var tracing);
                    return Traced(tracing, await untracked.RunAsync(cancellationToken).ConfigureAwait(false));
                }

                var (resolved, problem) = ResolveVariables(workflow, options);
                var run = StartRun(plan.WithVariables(resolved.Variables), resolved, null, out var traced);
                run.StartProblem = problem;
                return Traced(traced, await run.RunAsync(cancellationToken).ConfigureAwait(false));
            }

            return await ExecuteWithStateAsync(plan, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// The plan to run: the given one or the latest one when they still describe the workflow with this runner's
    /// executors and <paramref name="executorOverride"/> (issue 12: a plan made for another <c>--executor</c> is made
    /// again), else a new one. Keeping the latest lets a definition run again skip every derivation (issue 7, B7).
    /// </summary>
    private WorkflowPlan PlanFor(WorkflowDefinition workflow, WorkflowPlan? given, string? executorOverride)
    {
        var executors = Executors();
        foreach (var candidate in (ReadOnlySpan<WorkflowPlan?>)[given, _plan])
        {
            if (candidate is not null && candidate.Describes(workflow, executors, executorOverride))
            {
                return _plan = candidate;
            }
        }

        return _plan = WorkflowPlanner.Build(workflow, new ExecutorRegistry(executors), executorOverride);
    }

    private WorkflowRun StartRun(WorkflowPlan plan, ExecutionOptions options, RunRecorder? recorder, out TracingObserver? tracing, IRunJournal? journal = null)
    {
        var preparation = Preparation ?? new StepBinder(plan, options, _timeProvider);
        WorkflowRun? run = null;
        var events = new RunnerEvents(this, (stepId, text) => run?.Context.Write(stepId, LogStream.Info, text));

        // Traces only when something listens (issue 16): an untraced run adds no observer and no allocation.
        tracing = TracingObserver.IfListening(plan.Workflow);
        IRunObserver observer = (recorder, tracing) switch
        {
            (null, null) => events,
            (null, _) => new RunObservers([tracing, events]),
            (_, null) => new RunObservers([recorder, events]),
            _ => new RunObservers([recorder, tracing, events]),
        };
        run = new WorkflowRun(plan, options, preparation, observer, _timeProvider, recorder is null ? null : recorder.LogCursor, journal, tracing);
        tracing?.Start(run.Context.RunId, _timeProvider.GetUtcNow());
        Volatile.Write(ref _current, run);
        return run;
    }

    private static WorkflowResult Traced(TracingObserver? tracing, WorkflowResult result) => tracing is null ? result : tracing.Finish(result);

    // Only runs with a store or a snapshot come here, so a run without state never pays for any of it (issue #6).
    private async Task<WorkflowResult> ExecuteWithStateAsync(WorkflowPlan plan, ExecutionOptions options, CancellationToken cancellationToken)
    {
        var workflow = plan.Workflow;
        if (options.RunStore is not null && string.IsNullOrEmpty(options.RunId))
        {
            options = options with { RunId = UlidGenerator.Shared.NewId() };
        }

        if (options.ResumeFrom is { Variables.Count: > 0 } resumed && options.Variables.Count == 0)
        {
            options = options with { Variables = StateValues.FromElements(resumed.Variables) };
        }

        string? variablesProblem = null;
        if (workflow.Variables.Count > 0)
        {
            (options, variablesProblem) = ResolveVariables(workflow, options);
        }

        // A matrix axis that reads variables is expanded with the run's values (issue 13).
        plan = plan.WithVariables(options.Variables);
        workflow = plan.Workflow;

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

        if (options.RunStore is not { } store)
        {
            var unrecorded = StartRun(plan, options, null, out var untraced);
            unrecorded.StartProblem = variablesProblem;
            return Traced(untraced, await unrecorded.RunAsync(cancellationToken).ConfigureAwait(false));
        }

        WorkflowRun? run = null;
        var recorder = new RunRecorder(
            options.RunId!,
            store,
            options.StateDirectory ?? (store as SqliteRunStore)?.Directory,
            options.OutputLimitBytes,
            _timeProvider,
            warning => run?.Context.Write(null, LogStream.Info, warning));
        await using (recorder.ConfigureAwait(false))
        {
            // Handles of the resumed run's unfinished steps (Slurm jobs) carry over, so no job is submitted twice (issue 12).
            var journal = new RunJournal(recorder, await ResumedHandlesAsync(store, options.ResumeFrom, cancellationToken).ConfigureAwait(false));
            run = StartRun(plan, options, recorder, out var tracing, journal);
            run.StartProblem = variablesProblem;
            if (historyWarning is not null)
            {
                run.Context.Write(null, LogStream.Info, historyWarning);
            }

            await OpenCacheAsync(run, plan, options, store, _timeProvider, cancellationToken).ConfigureAwait(false);
            await recorder.StartAsync(workflow, options, CancellationToken.None).ConfigureAwait(false);
            await journal.CarryOverAsync(CancellationToken.None).ConfigureAwait(false);
            WorkflowResult result;

            // Another process (the dashboard, `flowline cancel`) stops a recorded run through the store (issue 17,
            // docs/architecture.md): the request cancels the same token Ctrl+C cancels, so it stops the same way.
            RunCancelRequest? requested = null;
            using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var watch = recorder.Recording
                    ? RunCancelWatch.Start(store, recorder.RunId, cancel, OnCancelRequested, timeProvider: _timeProvider)
                    : null;
                try
                {
                    result = Traced(tracing, await run.RunAsync(cancel.Token).ConfigureAwait(false));
                }
                finally
                {
                    if (watch is not null)
                    {
                        await watch.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }

            // The record, the summary and the terminal that ran it say who stopped the run.
            if (result.Status == WorkflowStatus.Cancelled && Volatile.Read(ref requested) is { } request)
            {
                result = result with { Error = $"workflow cancelled by {request.RequestedBy}" };
            }

            await KeepFileHashesAsync(run, store).ConfigureAwait(false);
            await recorder.FinishAsync(result).ConfigureAwait(false);
            return result;

            void OnCancelRequested(RunCancelRequest request)
            {
                Volatile.Write(ref requested, request);
                run.Context.Write(null, LogStream.Info, $"cancel requested by {request.RequestedBy}; stopping running steps");
            }
        }
    }

    // The handles of the snapshot's steps that will run again; none when the store cannot say.
    private static async Task<IReadOnlyDictionary<string, string>> ResumedHandlesAsync(IRunStore store, WorkflowSnapshot? resumed, CancellationToken cancellationToken)
    {
        if (resumed is null)
        {
            return EmptyMap<string>.Instance;
        }

        IReadOnlyDictionary<string, string> handles;
        try
        {
            handles = await store.GetStepHandlesAsync(resumed.RunId, cancellationToken).ConfigureAwait(false);
        }
        catch (RunStoreException)
        {
            return EmptyMap<string>.Instance;
        }

        var finished = resumed.Steps.Where(static s => s.Status is StepStatus.Completed or StepStatus.Skipped).Select(static s => s.StepId).ToHashSet(StringComparer.Ordinal);
        return handles.Where(pair => !finished.Contains(pair.Key)).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// The declared variables' checks and defaults (issue 13): the options with the values the run uses, and every
    /// problem in one text when the run must not start.
    /// </summary>
    private static (ExecutionOptions Options, string? Problem) ResolveVariables(WorkflowDefinition workflow, ExecutionOptions options)
    {
        var resolution = DeclaredVariables.Resolve(workflow, options.Variables);
        return resolution.IsValid
            ? (options with { Variables = resolution.Values }, null)
            : (options, string.Join("; ", resolution.Problems.Select(static p => $"{p.Message} ({p.Code})")));
    }
}
