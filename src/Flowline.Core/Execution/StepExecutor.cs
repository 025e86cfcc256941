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
    /// <remarks>
    /// The runner calls this on its scheduler thread and settles an already-completed task inline, so return quickly:
    /// await I/O, and move CPU-bound or blocking work to the thread pool. Honour <paramref name="cancellationToken"/>
    /// (cancellation, workflow timeout, a fatal failure elsewhere, and the step's own timeout for executors other than
    /// <c>script</c>): the run waits for every step it started. May be called for many steps at once.
    /// </remarks>
    public abstract Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken);
}
