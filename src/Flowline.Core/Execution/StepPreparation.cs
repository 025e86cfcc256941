using System.Diagnostics.CodeAnalysis;

namespace Flowline.Execution;

/// <summary>
/// The seam for conditions and templates (issue 4): called once, right before a step would start, on the scheduler's
/// thread. It decides whether the step runs and renders its templated fields. The real one is
/// <see cref="Binding.StepBinder"/>, one per run.
/// </summary>
internal interface IStepPreparation
{
    /// <summary>Run <paramref name="step"/> (possibly rewritten), skip it, or fail it.</summary>
    public StepPreparation Prepare(PlannedStep step, IStepRunState state);

    /// <summary>
    /// The run's plan grew (a matrix expanded from a step's output, issue 13): steps are looked up by id in
    /// <paramref name="plan"/> from now on. Called on the scheduler's thread.
    /// </summary>
    public void PlanGrew(WorkflowPlan plan)
    {
    }
}

/// <summary>A read-only view of the run for <see cref="IStepPreparation"/>.</summary>
internal interface IStepRunState
{
    public WorkflowDefinition Workflow { get; }

    public string RunId { get; }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    /// <summary>The <c>secrets</c> root: the values of the declared secrets (issue 13).</summary>
    public IReadOnlyDictionary<string, object?> Secrets { get; }

    /// <summary>Whether the run is being stopped by a cancellation or the workflow timeout.</summary>
    public bool IsCancelled { get; }

    /// <summary>The result of a finished step; false while it is pending or running.</summary>
    public bool TryGetStepResult(string stepId, [NotNullWhen(true)] out StepResult? result);

    /// <summary>The instances' ids of matrix step <paramref name="stepId"/> in instance order (issue 13); null when it is no expanded matrix step.</summary>
    public IReadOnlyList<string>? InstancesOf(string stepId);

    /// <summary>Whether a step that <paramref name="stepId"/> depends on, directly or transitively, has failed.</summary>
    public bool AnyAncestorFailed(string stepId);
}

/// <summary>Renders templates for a step's executor (<see cref="StepExecutionContext.Render(string)"/>); safe from any thread.</summary>
internal interface ITemplateRenderer
{
    public bool TryRender(string stepId, string text, IReadOnlyDictionary<string, object?>? extraRoots, [NotNullWhen(true)] out string? rendered, [NotNullWhen(false)] out string? error);

    public bool TryRenderConfig(string stepId, [NotNullWhen(true)] out IReadOnlyDictionary<string, object?>? config, [NotNullWhen(false)] out string? error);

    /// <summary>The step's scope, for executors that render their own templates; null when it cannot be built.</summary>
    public Expressions.IExpressionScope? CreateScope(string stepId);

    /// <summary>The run's parsed templates, for executors that render their own: each text is parsed once per run.</summary>
    public Binding.TemplateCache Templates { get; }
}

internal enum StepPreparationKind
{
    Run,
    Skip,
    Fail,
}

/// <summary>What <see cref="IStepPreparation.Prepare"/> decided. A struct: the default path allocates nothing.</summary>
/// <param name="Kind">Run, skip or fail.</param>
/// <param name="Step">The step to run, with its templates rendered.</param>
/// <param name="Reason">Why it is skipped or failed.</param>
/// <param name="Environment">The step's rendered effective environment (workflow and step <c>env</c>), when rendering changed it.</param>
/// <param name="Renderer">Renders templates for the executor.</param>
internal readonly record struct StepPreparation(
    StepPreparationKind Kind,
    WorkflowStep? Step,
    string? Reason,
    IReadOnlyDictionary<string, string>? Environment = null,
    ITemplateRenderer? Renderer = null)
{
    public static StepPreparation Run(WorkflowStep step, IReadOnlyDictionary<string, string>? environment = null, ITemplateRenderer? renderer = null) =>
        new(StepPreparationKind.Run, step, null, environment, renderer);

    /// <summary>Skip the step; <paramref name="reason"/> reads like <c>skipped: condition '…' was false</c>. Dependents still run.</summary>
    public static StepPreparation Skip(string reason) => new(StepPreparationKind.Skip, null, reason);

    /// <summary>Fail the step without running it (a template that cannot be rendered); the failure policy applies.</summary>
    public static StepPreparation Fail(string error) => new(StepPreparationKind.Fail, null, error);
}
