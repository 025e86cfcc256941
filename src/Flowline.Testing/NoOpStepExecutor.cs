namespace Flowline.Testing;

/// <summary>Completes every step synchronously and successfully, allocating nothing: for benchmarks of the scheduler itself.</summary>
public sealed class NoOpStepExecutor : StepExecutor
{
    private static readonly Task<StepExecutionResult> Done = Task.FromResult(StepExecutionResult.Succeeded());

    /// <summary>Creates a no-op executor for steps of <paramref name="type"/>.</summary>
    public NoOpStepExecutor(string type = "noop") => Type = type;

    /// <inheritdoc />
    public override string Type { get; }

    /// <inheritdoc />
    public override Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken) => Done;
}
