namespace Flowline.Execution.Script;

// PLACEHOLDER so the engine branch compiles; the real executor (process-tree killing) replaces this file at merge.
internal sealed class ScriptStepExecutor : StepExecutor
{
    public override string Type => "script";

    public override Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken) =>
        throw new NotSupportedException("The script executor is not part of this build yet.");
}
