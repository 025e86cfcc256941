using Flowline.Execution.Processes;

namespace Flowline.State;

/// <summary>
/// How to resume a recorded run with the workflow file as it is now (docs/state.md "Resume", issue 11): whether it
/// may go ahead, the changes that break it, the snapshot whose results the new run keeps and the options to run with.
/// <c>flowline resume</c> is <see cref="Create"/>, printing, and <see cref="WorkflowRunner.ExecuteAsync(WorkflowDefinition, ExecutionOptions?, CancellationToken)"/> with
/// <see cref="Options"/>.
/// </summary>
public sealed record ResumePlan
{
    /// <summary>Why the resume may not go ahead; <see cref="ResumeRefusal.None"/> when it may.</summary>
    public required ResumeRefusal Refusal { get; init; }

    /// <summary>True when <see cref="Refusal"/> is <see cref="ResumeRefusal.None"/>.</summary>
    public bool CanResume => Refusal == ResumeRefusal.None;

    /// <summary>
    /// The edits to the file that break the run (with the added steps beside them); empty when the file is unchanged
    /// or only gained steps. Non-empty with <see cref="ResumeRequest.Force"/> too: then they are a warning.
    /// </summary>
    public IReadOnlyList<ResumeChange> Changes { get; init; } = [];

    /// <summary>
    /// The live processes on this machine that the run's steps started (found by <c>FLOWLINE_RUN_ID</c> in their
    /// environment), in pid order; empty for a run recorded on another machine, where they cannot be seen.
    /// </summary>
    public IReadOnlyList<int> StepProcesses { get; init; } = [];

    /// <summary>
    /// The run's snapshot without the steps that must run again (<see cref="ResumeRequest.FromStep"/> and its
    /// downstream, and with <see cref="ResumeRequest.Force"/> every step whose dependencies changed and its downstream).
    /// </summary>
    public required WorkflowSnapshot Snapshot { get; init; }

    /// <summary>
    /// The run's recorded options again (<see cref="RecordedOptions"/>) with <see cref="ExecutionOptions.ResumeFrom"/>
    /// set to <see cref="Snapshot"/>; the variables come from the snapshot. Add a store to record the new run.
    /// </summary>
    public required ExecutionOptions Options { get; init; }

    /// <summary>Plans resuming <paramref name="run"/> with <paramref name="definition"/>, the workflow file as it is now.</summary>
    /// <param name="run">The run, as a store's query returns it.</param>
    /// <param name="snapshot">Its snapshot (<see cref="IRunReader.LoadSnapshotAsync"/>).</param>
    /// <param name="definition">The workflow loaded from <see cref="RunRecord.WorkflowPath"/> now.</param>
    /// <param name="request">Force and --from; none when null.</param>
    public static ResumePlan Create(RunRecord run, WorkflowSnapshot snapshot, WorkflowDefinition definition, ResumeRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(definition);
        request ??= new ResumeRequest();
        if (Planning.MatrixExpansion.Any(definition))
        {
            // Issue 13: matrix instances are the run's steps, each kept or run again on its own.
            definition = Planning.MatrixExpansion.Expand(definition, StateValues.FromElements(snapshot.Variables)).Workflow;
        }

        var changes = ResumeChanges.Breaking(snapshot, run, definition);
        var runnerAlive = RunnerProcess.IsAlive(run);
        var stepProcesses = runnerAlive is null ? [] : RunProcesses.Find(run.Id);
        var refusal = RefusalOf(run, runnerAlive == true, stepProcesses.Count > 0, definition, request, changes);

        var rerun = new HashSet<string>(StringComparer.Ordinal);
        if (request.FromStep is { } from)
        {
            // --from a matrix step runs every instance again (issue 13).
            foreach (var step in definition.Steps.Where(s => s.Id == from || s.Instance?.Of == from))
            {
                rerun.UnionWith(ResumeChanges.Downstream(definition, step.Id));
            }
        }

        // With --force, a step whose dependencies changed must not keep its result: it runs again, with its downstream.
        foreach (var changed in ResumeChanges.ChangedDependencies(snapshot, definition))
        {
            rerun.UnionWith(ResumeChanges.Downstream(definition, changed));
        }

        // A workflow step that runs again runs its whole child again (issue 14): its STEP/CHILD rows are not kept either.
        var kept = rerun.Count == 0 ? snapshot : snapshot with { Steps = [.. snapshot.Steps.Where(s => !rerun.Contains(s.StepId) && !rerun.Contains(TopLevelId(s.StepId)))] };
        return new ResumePlan
        {
            Refusal = refusal,
            Changes = changes,
            StepProcesses = stepProcesses,
            Snapshot = kept,
            Options = RecordedOptions.Read(snapshot.Options).ToExecutionOptions() with { ResumeFrom = kept },
        };
    }

    /// <summary>
    /// Stops the processes the steps of run <paramref name="runId"/> left running on this machine: SIGTERM, then SIGKILL
    /// to those left after <paramref name="grace"/> (5 s by default), each wait bounded by it. Returns the pids still
    /// alive after that (empty when all are gone). <c>flowline resume --kill-orphans</c> calls it.
    /// </summary>
    public static Task<IReadOnlyList<int>> StopStepProcessesAsync(string runId, TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return RunProcesses.StopAsync(runId, grace ?? TimeSpan.FromSeconds(5), TimeProvider.System, cancellationToken);
    }

    private static ResumeRefusal RefusalOf(
        RunRecord run,
        bool runnerAlive,
        bool stepProcesses,
        WorkflowDefinition definition,
        ResumeRequest request,
        IReadOnlyList<ResumeChange> changes)
    {
        // A run that ended is over whatever its process does now (a library host may resume its own failed run); an
        // unended one whose process lives on this machine may still be running steps, heartbeat or not (issue 18).
        var unended = run.Status is RunStatus.Running or RunStatus.Interrupted;
        if ((run.Status == RunStatus.Running || (unended && runnerAlive)) && !request.Force)
        {
            return ResumeRefusal.StillRunning;
        }

        if (changes.Count > 0 && !request.Force)
        {
            return ResumeRefusal.BreakingChanges;
        }

        if (request.FromStep is { } from && !definition.Steps.Any(s => s.Id == from || s.Instance?.Of == from))
        {
            return ResumeRefusal.UnknownFromStep;
        }

        // Never overridden by Force: a step must not run twice at the same time.
        return stepProcesses ? ResumeRefusal.StepProcessesRunning : ResumeRefusal.None;
    }

    private static string TopLevelId(string stepId) => stepId.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? stepId[..slash] : stepId;
}
