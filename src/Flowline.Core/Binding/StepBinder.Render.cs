using System.Diagnostics.CodeAnalysis;
using Flowline.Expressions;

namespace Flowline.Binding;

internal sealed partial class StepBinder
{
    private static readonly IReadOnlyDictionary<string, object?> NoEnv = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>
    /// Renders the workflow's and the step's <c>env</c> values. Inside an env value, <c>env.X</c> reads the
    /// unrendered text of X: env values are not rendered in any order, so one cannot build on another's result.
    /// </summary>
    private EnvBinding BindEnvironment(PlannedStep planned, RunRoots roots)
    {
        var step = planned.Step;
        var stepEnv = planned.Traits.Environment;
        if (_workflow.Env.Count == 0 && stepEnv.Count == 0)
        {
            return new EnvBinding(NoEnv, null, stepEnv, null);
        }

        var raw = new Dictionary<string, object?>(_workflow.Env.Count + stepEnv.Count, StringComparer.Ordinal);
        foreach (var (key, value) in _workflow.Env)
        {
            raw[key] = value;
        }

        foreach (var (key, value) in stepEnv)
        {
            raw[key] = value;
        }

        if (!_plan.WorkflowEnvHasTemplates && !planned.Templates.Any(static t => t.EnvironmentKey is not null))
        {
            return new EnvBinding(raw, null, stepEnv, null);
        }

        var rawScope = new BindingScope(roots, raw, step.Id, planned.MatrixRoot);
        var values = new Dictionary<string, object?>(raw, StringComparer.Ordinal);
        var strings = new Dictionary<string, string>(raw.Count, StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            strings[key] = (string)value!;
        }

        var renderedStepEnv = new Dictionary<string, string>(stepEnv, StringComparer.Ordinal);
        List<string>? errors = null;
        foreach (var text in _plan.WorkflowEnv)
        {
            if (!stepEnv.ContainsKey(text.EnvironmentKey!))
            {
                if (!TryRenderPlanned(text, rawScope, out var rendered, out var error))
                {
                    (errors ??= []).Add(error);
                    continue;
                }

                values[text.EnvironmentKey!] = strings[text.EnvironmentKey!] = rendered;
            }
        }

        foreach (var text in planned.Templates)
        {
            if (text.EnvironmentKey is { } key)
            {
                if (!TryRenderPlanned(text, rawScope, out var rendered, out var error))
                {
                    (errors ??= []).Add(error);
                    continue;
                }

                values[key] = strings[key] = renderedStepEnv[key] = rendered;
            }
        }

        return errors is null ? new EnvBinding(values, strings, renderedStepEnv, null) : new EnvBinding(raw, null, stepEnv, AllOf(errors));
    }

    /// <summary>Renders a text the plan parsed, its errors worded as the template cache words them.</summary>
    private bool TryRenderPlanned(Planning.PlannedText text, BindingScope scope, [NotNullWhen(true)] out string? rendered, [NotNullWhen(false)] out string? error)
    {
        var label = TemplateLabel.Field(text.Label);
        if (text.Template is not { } template)
        {
            rendered = null;
            error = label.Invalid(Describe(text.Error!, text.Text));
            return false;
        }

        if (!template.TryRender(scope, _renderOptions, out rendered, out var failure))
        {
            error = label.Failed(failure);
            return false;
        }

        error = null;
        return true;
    }

    private bool TryRenderText(string text, string label, BindingScope scope, [NotNullWhen(true)] out string? rendered, [NotNullWhen(false)] out string? error) =>
        Templates.TryRender(text, TemplateLabel.Field(label), scope, _renderOptions, out rendered, out error);

    /// <summary>
    /// Renders the templates the step's executor declared for the engine (a script's command, each argument on its
    /// own, its working directory) and lets the executor put them and the rendered environment in place
    /// (StepConfig.Bind). Texts the executor renders itself (agent prompts, custom configs) are left
    /// alone: rendering them here too would re-parse rendered text, letting a value that contains {{ }} inject a template.
    /// </summary>
    private bool TryRenderStep(PlannedStep planned, BindingScope scope, EnvBinding env, [NotNullWhen(true)] out WorkflowStep? rendered, [NotNullWhen(false)] out string? error)
    {
        rendered = planned.Step;
        error = null;
        Dictionary<string, string>? texts = null;
        List<string>? errors = null;
        foreach (var template in planned.Templates)
        {
            if (!template.RenderedByEngine || template.EnvironmentKey is not null)
            {
                continue;
            }

            // Every field is rendered even after one fails, so the step's error names every problem (issue 19).
            if (!TryRenderPlanned(template, scope, out var text, out var failure))
            {
                (errors ??= []).Add(failure);
                continue;
            }

            (texts ??= new Dictionary<string, string>(StringComparer.Ordinal))[template.ConfigPointer] = text;
        }

        if (errors is not null)
        {
            rendered = null;
            error = AllOf(errors);
            return false;
        }

        if (texts is not null || planned.Traits.Environment.Count > 0)
        {
            var config = planned.Step.Config.Bind(texts ?? (IReadOnlyDictionary<string, string>)EmptyMap<string>.Instance, env.StepEnv);
            rendered = ReferenceEquals(config, planned.Step.Config) ? planned.Step : planned.Step with { Config = config };
        }

        return true;
    }

    /// <summary>The errors of several fields in one message, each led by its field (<c>config.args[1]: …</c>).</summary>
    private static string AllOf(List<string> errors) => string.Join("; ", errors);

    private bool TryRenderValue(object? value, string label, BindingScope scope, out object? rendered, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (value)
        {
            case string s:
                var ok = TryRenderText(s, label, scope, out var text, out error);
                rendered = text;
                return ok;
            case IReadOnlyDictionary<string, object?> map:
                {
                    var copy = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
                    foreach (var (key, item) in map)
                    {
                        if (!TryRenderValue(item, label + "." + key, scope, out var renderedItem, out error))
                        {
                            rendered = null;
                            return false;
                        }

                        copy[key] = renderedItem;
                    }

                    rendered = copy;
                    return true;
                }

            case IReadOnlyList<object?> list:
                {
                    var copy = new object?[list.Count];
                    for (var i = 0; i < copy.Length; i++)
                    {
                        if (!TryRenderValue(list[i], $"{label}[{i}]", scope, out copy[i], out error))
                        {
                            rendered = null;
                            return false;
                        }
                    }

                    rendered = copy;
                    return true;
                }

            default:
                rendered = value;
                return true;
        }
    }

    /// <param name="Values">The <c>env</c> root: rendered values, or the raw ones when rendering failed.</param>
    /// <param name="Strings">The rendered effective environment for the executor, when rendering changed anything.</param>
    /// <param name="StepEnv">The step's own <c>env</c>, rendered.</param>
    /// <param name="Error">Why a value could not be rendered.</param>
    private sealed record EnvBinding(
        IReadOnlyDictionary<string, object?> Values,
        IReadOnlyDictionary<string, string>? Strings,
        IReadOnlyDictionary<string, string> StepEnv,
        string? Error);
}
