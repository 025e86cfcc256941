namespace Flowline;

/// <summary>
/// Runs the steps of one type (spec "Custom Step Executors"). Register an instance with
/// <c>WorkflowRunner.RegisterStepExecutor</c>; the built-ins are <c>script</c> and <c>agent</c>.
/// </summary>
public abstract class StepExecutor
{
    /// <summary>The step type this executor runs, as written in <c>type:</c>.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// Where this executor runs its steps, as written in <c>executor:</c> (issue 12): <c>local</c> for the built-ins and
    /// by default; <c>slurm</c> for the Slurm executor of <c>script</c> steps. The runner keeps one executor per type and backend.
    /// </summary>
    public virtual string Backend => "local";

    /// <summary>Checks a step's configuration before anything runs; return one diagnostic per problem.</summary>
    public virtual IEnumerable<Diagnostic> Validate(WorkflowStep step) => [];

    /// <summary>
    /// What the engine needs to know about one of this executor's steps (issue 11): its timeout and who enforces it,
    /// the config texts that are templates, its own environment. Called once per step when the workflow is planned.
    /// </summary>
    /// <remarks>
    /// The default describes the step by its config: a <c>script</c> config's command, arguments and working
    /// directory are rendered by the engine and its <c>env</c> is the step's environment; an <c>agent</c> config's
    /// prompt and parameters are templates its executor renders; any other config's <c>config.timeout</c>
    /// (milliseconds or a duration such as <c>30s</c>) is a timeout and every string holding <c>{{</c> a template the
    /// executor renders itself (<see cref="StepExecutionContext.Render(string)"/>). The engine enforces the timeout by
    /// cancelling the token given to <see cref="ExecuteAsync"/> unless <see cref="StepTraits.EnforcesTimeout"/>.
    /// </remarks>
    /// <param name="step">One of this executor's steps.</param>
    /// <returns>The step's traits.</returns>
    public virtual StepTraits Describe(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Config.Traits();
    }

    /// <summary>
    /// Runs the step. Return a failed result for an expected failure; an exception thrown here is caught by the
    /// runner and turned into a failed step, never a crashed run.
    /// </summary>
    /// <remarks>
    /// The runner calls this on its scheduler thread and settles an already-completed task inline, so return quickly:
    /// await I/O, and move CPU-bound or blocking work to the thread pool. Honour <paramref name="cancellationToken"/>
    /// (cancellation, workflow timeout, a fatal failure elsewhere, and the step's own timeout unless
    /// <see cref="StepTraits.EnforcesTimeout"/>): the run waits for every step it started. May be called for many steps at once.
    /// </remarks>
    public abstract Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken);
}
