namespace Flowline;

/// <summary>
/// Runs the steps of one type (spec "Custom Step Executors"). Register an instance with
/// <c>WorkflowRunner.RegisterStepExecutor</c>; the built-ins are <c>script</c> and <c>agent</c>.
/// </summary>
public abstract class StepExecutor
{
    /// <summary>The step type this executor runs, as written in <c>type:</c>.</summary>
    public abstract string Type { get; }

    /// <summary>Checks a step's configuration before anything runs; return one diagnostic per problem.</summary>
    public virtual IEnumerable<Diagnostic> Validate(WorkflowStep step) => [];

    /// <summary>
    /// Runs the step. Return a failed result for an expected failure; an exception thrown here is caught by the
    /// runner and turned into a failed step, never a crashed run.
    /// </summary>
    public abstract Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken);
}
