namespace Flowline.Execution.Script;

internal sealed partial class ScriptStepExecutor
{
    /// <summary>A script step runs a process, and this executor enforces its timeout itself so that the process tree is ended gracefully.</summary>
    public override StepTraits Describe(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return base.Describe(step) with { EnforcesTimeout = true, RunsProcess = true };
    }
}
