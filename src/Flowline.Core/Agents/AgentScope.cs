using Flowline.Binding;
using Flowline.Expressions;

namespace Flowline.Agents;

/// <summary>
/// The scope an agent's templates render against: the agent's own roots (<c>parameters</c>, <c>prompt</c>,
/// <c>agent</c>) over the run's scope from <see cref="StepExecutionContext.ExpressionScope"/>. When the host gives
/// no run scope (a runner that does not wire templates yet), <c>env</c>, <c>workflow</c> and <c>run</c> are built
/// from the context, and <c>variables</c> and <c>steps</c> are undefined. Templates render through the run's
/// <see cref="TemplateCache"/>, the binder's path, so they are parsed once and report errors as script fields do.
/// </summary>
internal sealed class AgentScope : IExpressionScope
{
    private readonly IExpressionScope? _run;
    private readonly IReadOnlyDictionary<string, object?> _own;
    private readonly IReadOnlyDictionary<string, object?> _fallback;
    private readonly TemplateRenderOptions _renderOptions;
    private readonly TemplateCache _templates;

    /// <param name="context">The step's context.</param>
    /// <param name="own">The agent's roots.</param>
    /// <param name="templates">The cache to use when no runner gives one (a host that builds its own context).</param>
    public AgentScope(StepExecutionContext context, IReadOnlyDictionary<string, object?> own, TemplateCache templates)
    {
        _run = context.ExpressionScope;
        _templates = context.Templates ?? templates;
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
    public AgentScope With(StepExecutionContext context, IReadOnlyDictionary<string, object?> own) => new(context, own, _templates);

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
        if (_templates.TryRender(text, TemplateLabel.Prose(what), this, _renderOptions, out var result, out var failure))
        {
            rendered = result;
            error = "";
            return true;
        }

        rendered = "";
        error = failure;
        return false;
    }

    /// <summary>Whether <paramref name="text"/> is a template that reads the root <paramref name="root"/>.</summary>
    public bool Reads(string text, string root) =>
        Template.ContainsTemplate(text) && _templates.TryParse(text, out var template, out _) && template.References.Any(r => r.Root == root);
}
