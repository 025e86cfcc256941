using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Flowline.Execution;
using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>
/// Binds a step right before it starts (issue 4, docs/expressions.md): evaluates its <c>condition</c> and renders
/// its templates against the run. One per run; every condition and template is parsed once and cached.
/// </summary>
internal sealed partial class StepBinder : IStepPreparation, ITemplateRenderer
{
    private static readonly string[] OutcomeFields = ["success", "status", "error", "exitCode", "skipReason"];
    private static readonly string[] OutcomeFunctions = ["failure", "always", "cancelled"];

    private readonly WorkflowDefinition _workflow;
    private readonly TemplateRenderOptions _renderOptions;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, WorkflowStep> _stepsById;
    private readonly IReadOnlySet<string> _needsBinding;
    private readonly bool _workflowEnvHasTemplates;
    private readonly ConcurrentDictionary<string, Parsed<Expression>> _conditions = new(StringComparer.Ordinal);
    private volatile RunRoots? _roots;

    public StepBinder(WorkflowDefinition workflow, ExecutionOptions options, TimeProvider timeProvider)
        : this(new BindingPlan(workflow), options, timeProvider)
    {
    }

    /// <summary>A binder for one run of <see cref="BindingPlan.Workflow"/>, reusing what the plan derived from it.</summary>
    public StepBinder(BindingPlan plan, ExecutionOptions options, TimeProvider timeProvider)
    {
        Plan = plan;
        _workflow = plan.Workflow;
        _renderOptions = options.AllowUndefined ? new TemplateRenderOptions { AllowUndefined = true } : TemplateRenderOptions.Default;
        _time = timeProvider;
        _workflowEnvHasTemplates = plan.WorkflowEnvHasTemplates;
        _stepsById = plan.StepsById;
        _needsBinding = plan.NeedsBinding;
        ImplicitDependencies = plan.ImplicitDependencies;
    }

    public BindingPlan Plan { get; }

    /// <summary>The run's templates, parsed once; the agent executor renders through it too.</summary>
    public TemplateCache Templates { get; } = new();

    public IReadOnlyDictionary<string, IReadOnlyCollection<string>>? ImplicitDependencies { get; }

    public bool RunsAfterFailure(WorkflowStep step)
    {
        if (string.IsNullOrWhiteSpace(step.Condition) || !ParseCondition(step.Condition).TryGet(out var expression, out _))
        {
            return false;
        }

        return expression.FunctionsUsed.Any(OutcomeFunctions.Contains) || ReadsOutcomeOfAnotherStep(expression, step.Id);
    }

    // A separate method so that the lambda's closure is allocated only for steps with a condition, not on every call
    // (the scheduler asks this for every step of every run).
    private static bool ReadsOutcomeOfAnotherStep(Expression expression, string stepId) =>
        expression.References.Any(r => r.Root == "steps" && r.Segments.Count >= 2 && r.Segments[0] != stepId && OutcomeFields.Contains(r.Segments[1]));

    public StepPreparation Prepare(WorkflowStep step, IStepRunState state)
    {
        var roots = _roots ??= new RunRoots(state, _time);
        if (!_needsBinding.Contains(step.Id))
        {
            return StepPreparation.Run(step, null, this);
        }

        var env = BindEnvironment(step, roots);
        var scope = new BindingScope(roots, env.Values, step.Id);
        if (!string.IsNullOrWhiteSpace(step.Condition))
        {
            if (!ParseCondition(step.Condition).TryGet(out var expression, out var parseError))
            {
                return StepPreparation.Fail($"condition is not valid: {Describe(parseError, step.Condition)}");
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

        return TryRenderStep(step, scope, env, out var rendered, out var error)
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
        if (!_stepsById.TryGetValue(stepId, out var step))
        {
            error = $"step '{stepId}' is not a step of workflow '{_workflow.Name}'";
            return false;
        }

        if (!TryScope(stepId, null, out var scope, out error))
        {
            return false;
        }

        if (!TryRenderValue(step.Config.Raw, "config", scope, out var value, out error))
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
        if (_roots is not { } roots || !_stepsById.TryGetValue(stepId, out var step))
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

        scope = new BindingScope(roots, env.Values, stepId, extraRoots);
        error = null;
        return true;
    }

    private Parsed<Expression> ParseCondition(string text) =>
        _conditions.GetOrAdd(text, static t => Expression.TryParse(t, out var e, out var error) ? new(e, null) : new(null, error));

    /// <summary>A parse error as a one-line message plus the source line and a caret under the column.</summary>
    internal static string Describe(ExpressionError error, string text) =>
        $"{error.Code} at column {error.Position + 1}: {error.Message}\n{error.Format(text)}";

    private readonly record struct Parsed<T>(T? Value, ExpressionError? Error)
        where T : class
    {
        public bool TryGet([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ExpressionError? error)
        {
            value = Value;
            error = Error;
            return value is not null;
        }
    }
}
