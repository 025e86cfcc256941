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
    private EnvBinding BindEnvironment(WorkflowStep step, RunRoots roots)
    {
        var stepEnv = step.Config is ScriptStepConfig script ? script.Env : EmptyMap<string>.Instance;
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

        if (!_workflowEnvHasTemplates && !stepEnv.Values.Any(Template.ContainsTemplate))
        {
            return new EnvBinding(raw, null, stepEnv, null);
        }

        var rawScope = new BindingScope(roots, raw, step.Id);
        var values = new Dictionary<string, object?>(raw.Count, StringComparer.Ordinal);
        var strings = new Dictionary<string, string>(raw.Count, StringComparer.Ordinal);
        var renderedStepEnv = new Dictionary<string, string>(stepEnv.Count, StringComparer.Ordinal);
        foreach (var (key, value) in _workflow.Env)
        {
            if (!stepEnv.ContainsKey(key))
            {
                if (!TryRenderText(value, "env." + key, rawScope, out var text, out var error))
                {
                    return new EnvBinding(raw, null, stepEnv, error);
                }

                values[key] = strings[key] = text;
            }
        }

        foreach (var (key, value) in stepEnv)
        {
            if (!TryRenderText(value, "config.env." + key, rawScope, out var text, out var error))
            {
                return new EnvBinding(raw, null, stepEnv, error);
            }

            values[key] = strings[key] = renderedStepEnv[key] = text;
        }

        return new EnvBinding(values, strings, renderedStepEnv, null);
    }

    private bool TryRenderText(string text, string label, BindingScope scope, [NotNullWhen(true)] out string? rendered, [NotNullWhen(false)] out string? error) =>
        Templates.TryRender(text, TemplateLabel.Field(label), scope, _renderOptions, out rendered, out error);

    private bool TryRenderStep(WorkflowStep step, BindingScope scope, EnvBinding env, [NotNullWhen(true)] out WorkflowStep? rendered, [NotNullWhen(false)] out string? error)
    {
        rendered = step;
        error = null;
        switch (step.Config)
        {
            case ScriptStepConfig script:
                {
                    if (!TryRenderText(script.Command, "config.command", scope, out var command, out error))
                    {
                        return false;
                    }

                    // Each argument is rendered on its own and stays one argument, whatever it renders to: the argument
                    // vector goes to the program as it is, never through a shell (issue 4 "never changes the shape").
                    var args = new string[script.Args.Count];
                    for (var i = 0; i < args.Length; i++)
                    {
                        if (!TryRenderText(script.Args[i], $"config.args[{i}]", scope, out var arg, out error))
                        {
                            return false;
                        }

                        args[i] = arg;
                    }

                    string? directory = null;
                    if (script.WorkingDirectory is not null && !TryRenderText(script.WorkingDirectory, "config.workingDirectory", scope, out directory, out error))
                    {
                        return false;
                    }

                    rendered = step with
                    {
                        Config = script with { Command = command, Args = args, WorkingDirectory = directory, Env = env.StepEnv },
                    };
                    return true;
                }

            default:
                // The agent executor renders its prompt and parameters itself, with its own roots (parameters, prompt,
                // agent) over StepExecutionContext.ExpressionScope and through this binder's Templates; rendering them
                // here too would re-parse rendered text, letting a value that contains {{ }} inject a template. Custom configs are rendered by their
                // executor, which knows which keys are templates (StepExecutionContext.Render / RenderConfig).
                return true;
        }
    }

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
