using Flowline.Scheduling;
using Flowline.State;

namespace Flowline;

public sealed partial class WorkflowContext
{
    private WorkflowRun? _run;

    /// <summary>
    /// The run's state now (spec "Context Snapshots"): variables, every settled step with its status and output,
    /// the steps still running, and the log cursor. Safe to call from any thread while the run goes on; a snapshot
    /// taken mid-run can be resumed with <see cref="ExecutionOptions.ResumeFrom"/>. Round-trips through
    /// <see cref="WorkflowSnapshot.ToJson"/>.
    /// </summary>
    public WorkflowSnapshot CreateSnapshot() =>
        (_run ?? throw new InvalidOperationException("This context does not belong to a run.")).CreateSnapshot();

    /// <summary>
    /// Makes the run keep the snapshot's completed and skipped steps (and their outputs) instead of running them
    /// (spec "Context Snapshots", issue #6). Only before the run starts its steps: the runner calls it for
    /// <see cref="ExecutionOptions.ResumeFrom"/>, which is how a snapshot is normally resumed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run has already started its steps.</exception>
    public void RestoreFromSnapshot(WorkflowSnapshot snapshot) =>
        (_run ?? throw new InvalidOperationException("This context does not belong to a run.")).RestoreFrom(snapshot);

    internal void Attach(WorkflowRun run) => _run = run;
}
