using Flowline.Scheduling;
using Flowline.State;

namespace Flowline;

public sealed partial class WorkflowContext
{
    /// <summary>
    /// The run's state now (spec "Context Snapshots"): variables, every settled step with its status and output,
    /// the steps still running, and the log cursor. Safe to call from any thread while the run goes on. To restore
    /// one (the spec's <c>restoreFromSnapshot</c>), pass it as <see cref="ExecutionOptions.ResumeFrom"/> to the next
    /// run: its completed and skipped steps are kept with their outputs. Round-trips through
    /// <see cref="WorkflowSnapshot.ToJson"/>.
    /// </summary>
    public WorkflowSnapshot CreateSnapshot() => _snapshots.Create();
}
