using System.Diagnostics.CodeAnalysis;
using Flowline.Execution;
using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>
/// Binds a step right before it starts (issue 4, docs/expressions.md): evaluates its <c>condition</c> and renders
/// its templates against the run. One per run, over the <see cref="WorkflowPlan"/>, whose conditions and templates
/// are parsed once; texts an executor renders at run time are parsed once and cached here.
/// </summary>
internal sealed partial class StepBinder : IStepPreparation, ITemplateRenderer
{
    // Replaced by a larger plan when a matrix expands from a step's output (PlanGrew); read from executors' threads.
    private volatile WorkflowPlan _plan;
    private readonly WorkflowDefinition _workflow;
    private readonly TemplateRenderOptions _renderOptions;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly int? _randomSeed;
    private volatile RunRoots? _roots;

    /// <summary>A binder for one run of <paramref name="plan"/>.</summary>
    public StepBinder(WorkflowPlan plan, ExecutionOptions options, TimeProvider timeProvider)
    {
        _plan = plan;
        _workflow = plan.Workflow;
        _renderOptions = options.AllowUndefined ? new TemplateRenderOptions { AllowUndefined = true } : TemplateRenderOptions.Default;
        _time = timeProvider;
        _randomSeed = options.RandomSeed;

        // A binder is made for one run as the run starts (WorkflowRunner.StartRun), so this is workflow.startTime.
        _started = timeProvider.GetUtcNow();
    }

    /// <summary>The plan's templates, parsed once for all its runs; the agent executor renders through it too.</summary>
    public TemplateCache Templates => _plan.Templates;

    public void PlanGrew(WorkflowPlan plan) => _plan = plan;

    public StepPreparation Prepare(PlannedStep planned, IStepRunState state)
    {
        var roots = _roots ??= new RunRoots(state, _time, _started, _randomSeed);
        var step = planned.Step;
        if (!planned.NeedsBinding)
        {
            return StepPreparation.Run(step, null, this);
        }

        if (planned.MatrixProblem is { } problem)
        {
            return StepPreparation.Fail(problem);
        }

        var env = BindEnvironment(planned, roots);
        var scope = new BindingScope(roots, env.Values, step.Id, planned.MatrixRoot);
        if (planned.Condition is { } condition)
        {
            if (condition.Expression is not { } expression)
            {
                return StepPreparation.Fail($"condition is not valid: {Describe(condition.Error!, condition.Text)}");
            }

            // An env value that cannot be rendered matters to the condition only if it reads env.
            if (env.Error is not null && expression.References.Any(r => r.Root == "env"))
            {
                return StepPreparation.Fail(env.Error);
            }

            if (!expression.TryEvaluate(scope, out var value, out var failure))
            {
                return StepPreparation.Fail($"condition '{step.Condition}' could not be evaluated: {failure}");
            }

            if (!Expression.IsTruthy(value))
            {
                return StepPreparation.Skip($"skipped: condition '{step.Condition}' was false");
            }
        }

        if (env.Error is not null)
        {
            return StepPreparation.Fail(env.Error);
        }

        return TryRenderStep(planned, scope, env, out var rendered, out var error)
            ? StepPreparation.Run(rendered, env.Strings, this)
            : StepPreparation.Fail(error);
    }

    public bool TryRender(string stepId, string text, IReadOnlyDictionary<string, object?>? extraRoots, [NotNullWhen(true)] out string? rendered, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Template.ContainsTemplate(text))
        {
            rendered = text;
            error = null;
            return true;
        }

        if (!TryScope(stepId, extraRoots, out var scope, out error))
        {
            rendered = null;
            return false;
        }

        return TryRenderText(text, "template", scope, out rendered, out error);
    }

    public bool TryRenderConfig(string stepId, [NotNullWhen(true)] out IReadOnlyDictionary<string, object?>? config, [NotNullWhen(false)] out string? error)
    {
        config = null;
        if (!_plan.TryGetStep(stepId, out var planned))
        {
            error = $"step '{stepId}' is not a step of workflow '{_workflow.Name}'";
            return false;
        }

        if (!TryScope(stepId, null, out var scope, out error))
        {
            return false;
        }

        if (!TryRenderValue(planned.Step.Config.Raw, "config", scope, out var value, out error))
        {
            return false;
        }

        config = (IReadOnlyDictionary<string, object?>)value!;
        return true;
    }

    public IExpressionScope? CreateScope(string stepId) => TryScope(stepId, null, out var scope, out _) ? scope : null;

    private bool TryScope(string stepId, IReadOnlyDictionary<string, object?>? extraRoots, [NotNullWhen(true)] out BindingScope? scope, [NotNullWhen(false)] out string? error)
    {
        scope = null;
        if (_roots is not { } roots || !_plan.TryGetStep(stepId, out var step))
        {
            error = $"templates can only be rendered for a step of the running workflow (step '{stepId}')";
            return false;
        }

        var env = BindEnvironment(step, roots);
        if (env.Error is not null)
        {
            error = env.Error;
            return false;
        }

        scope = new BindingScope(roots, env.Values, stepId, WithMatrix(extraRoots, step.MatrixRoot));
        error = null;
        return true;
    }

    // An agent prompt of a matrix instance reads matrix.X beside the executor's own roots (issue 13).
    private static IReadOnlyDictionary<string, object?>? WithMatrix(IReadOnlyDictionary<string, object?>? extraRoots, IReadOnlyDictionary<string, object?>? matrix)
    {
        if (matrix is null || extraRoots is null)
        {
            return extraRoots ?? matrix;
        }

        var merged = new Dictionary<string, object?>(extraRoots, StringComparer.Ordinal);
        foreach (var (key, value) in matrix)
        {
            merged.TryAdd(key, value);
        }

        return merged;
    }

    /// <summary>A parse error as a one-line message plus the source line and a caret under the column.</summary>
    internal static string Describe(ExpressionError error, string text) =>
        $"{error.Code} at column {error.Position + 1}: {error.Message}\n{error.Format(text)}";
}
