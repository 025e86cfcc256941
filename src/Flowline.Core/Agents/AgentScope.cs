using Flowline.Expressions;

namespace Flowline.Agents;

/// <summary>
/// The scope an agent's templates render against: the agent's own roots (<c>parameters</c>, <c>prompt</c>,
/// <c>agent</c>) over the run's scope from <see cref="StepExecutionContext.ExpressionScope"/>. When the host gives
/// no run scope (a runner that does not wire templates yet), <c>env</c>, <c>workflow</c> and <c>run</c> are built
/// from the context, and <c>variables</c> and <c>steps</c> are undefined.
/// </summary>
internal sealed class AgentScope : IExpressionScope
{
    private readonly IExpressionScope? _run;
    private readonly IReadOnlyDictionary<string, object?> _own;
    private readonly IReadOnlyDictionary<string, object?> _fallback;
    private readonly TemplateRenderOptions _renderOptions;

    public AgentScope(StepExecutionContext context, IReadOnlyDictionary<string, object?> own)
    {
        _run = context.ExpressionScope;
        _own = own;
        _fallback = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["env"] = context.Environment.ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal),
            ["workflow"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = context.Workflow.Name,
                ["version"] = context.Workflow.Version,
            },
            ["run"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = context.RunId },
        };
        TimeProvider = _run?.TimeProvider ?? context.TimeProvider;
        _renderOptions = context.Options.AllowUndefined ? new TemplateRenderOptions { AllowUndefined = true } : TemplateRenderOptions.Default;
    }

    public ExpressionStatus Status => _run?.Status ?? default;

    public TimeProvider TimeProvider { get; }

    /// <summary>The same run scope with other agent roots.</summary>
    public AgentScope With(StepExecutionContext context, IReadOnlyDictionary<string, object?> own) => new(context, own);

    public bool TryGetRoot(string name, out object? value)
    {
        if (_own.TryGetValue(name, out value))
        {
            return true;
        }

        return _run is not null ? _run.TryGetRoot(name, out value) : _fallback.TryGetValue(name, out value);
    }

    /// <summary>Renders <paramref name="text"/> as a template; the error names <paramref name="what"/>.</summary>
    public bool TryRender(string text, string what, out string rendered, out string error)
    {
        if (!Template.TryParse(text, out var template, out var parseError))
        {
            rendered = "";
            error = $"{what} is not a valid template: {parseError.Code} at {parseError.Position}: {parseError.Message}\n{parseError.Format(text)}";
            return false;
        }

        if (!template.TryRender(this, _renderOptions, out var result, out var renderError))
        {
            rendered = "";
            error = $"{what} cannot be rendered: {renderError}";
            return false;
        }

        rendered = result;
        error = "";
        return true;
    }
}
