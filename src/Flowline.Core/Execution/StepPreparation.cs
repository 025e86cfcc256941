using System.Diagnostics.CodeAnalysis;

namespace Flowline.Execution;

/// <summary>
/// The seam for conditions and templates (issue 4): called once, right before a step would start, on the scheduler's
/// thread. It decides whether the step runs and renders its templated fields.
/// </summary>
internal interface IStepPreparation
{
    /// <summary>Run <paramref name="step"/> (possibly rewritten), skip it, or fail it.</summary>
    public StepPreparation Prepare(WorkflowStep step, IStepRunState state);
}

/// <summary>A read-only view of the run for <see cref="IStepPreparation"/>.</summary>
internal interface IStepRunState
{
    public WorkflowDefinition Workflow { get; }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    /// <summary>The result of a finished step; false while it is pending or running.</summary>
    public bool TryGetStepResult(string stepId, [NotNullWhen(true)] out StepResult? result);
}

internal enum StepPreparationKind
{
    Run,
    Skip,
    Fail,
}

/// <summary>What <see cref="IStepPreparation.Prepare"/> decided. A struct: the default path allocates nothing.</summary>
internal readonly record struct StepPreparation(StepPreparationKind Kind, WorkflowStep? Step, string? Reason)
{
    public static StepPreparation Run(WorkflowStep step) => new(StepPreparationKind.Run, step, null);

    /// <summary>Skip the step; <paramref name="reason"/> reads like <c>skipped: condition '…' is false</c>. Dependents still run.</summary>
    public static StepPreparation Skip(string reason) => new(StepPreparationKind.Skip, null, reason);

    /// <summary>Fail the step without running it (a template that cannot be rendered); the failure policy applies.</summary>
    public static StepPreparation Fail(string error) => new(StepPreparationKind.Fail, null, error);
}

/// <summary>Until issue 4: every condition counts as true and nothing is rendered.</summary>
internal sealed class DefaultStepPreparation : IStepPreparation
{
    public static readonly DefaultStepPreparation Instance = new();

    public StepPreparation Prepare(WorkflowStep step, IStepRunState state) => StepPreparation.Run(step);
}
