using Flowline.Expressions;

namespace Flowline.Planning;

/// <summary>
/// A condition or template of a step (or of the workflow's <c>env</c>), parsed once when the workflow is planned:
/// the validator checks its references, the binder evaluates or renders it, the graph takes its <c>steps.X</c> reads.
/// </summary>
internal sealed class PlannedText
{
    private PlannedText(string pointer, string label, string text, bool isCondition, IReadOnlyList<string> extraRoots, bool isChecked, bool renderedByEngine)
    {
        ConfigPointer = pointer;
        Pointer = pointer;
        Label = label;
        Text = text;
        IsCondition = isCondition;
        ExtraRoots = extraRoots;
        Checked = isChecked;
        RenderedByEngine = renderedByEngine;
    }

    /// <summary>The JSON pointer of the text in the workflow file.</summary>
    public string Pointer { get; }

    /// <summary>Where the text sits under the step's <c>config</c> (<see cref="StepTemplate.Pointer"/>), for <see cref="StepConfig.Bind"/>.</summary>
    public string ConfigPointer { get; private init; }

    /// <summary>The variable's name, for a value of the workflow's or the step's <c>env</c>.</summary>
    public string? EnvironmentKey { get; private init; }

    /// <summary>How messages name it: <c>condition</c>, <c>config.args[0]</c>, <c>env.HOME</c>.</summary>
    public string Label { get; }

    public string Text { get; }

    public bool IsCondition { get; }

    public IReadOnlyList<string> ExtraRoots { get; }

    public bool Checked { get; }

    public bool RenderedByEngine { get; }

    /// <summary>The condition, when <see cref="IsCondition"/> and it parses.</summary>
    public Expression? Expression { get; private init; }

    /// <summary>The template, when not a condition and it parses.</summary>
    public Template? Template { get; private init; }

    /// <summary>Why it does not parse.</summary>
    public ExpressionError? Error { get; private init; }

    /// <summary>The paths it reads; empty when it does not parse.</summary>
    public IReadOnlyList<PathReference> References => Expression?.References ?? Template?.References ?? [];

    /// <summary>
    /// Every reason it does not parse, one per broken <c>{{ }}</c> hole of a template (issue 19: every problem at once);
    /// empty when it parses.
    /// </summary>
    public IReadOnlyList<ExpressionError> Errors { get; private init; } = [];

    /// <summary>The paths its holes that do parse read: <see cref="References"/>, or for a broken template those of its other holes.</summary>
    public IReadOnlyList<PathReference> CheckableReferences { get; private init; } = [];

    public static PlannedText Condition(string pointer, string text) =>
        Expression.TryParse(text, out var expression, out var error)
            ? new PlannedText(pointer, "condition", text, true, [], true, false) { Expression = expression, CheckableReferences = expression.References }
            : new PlannedText(pointer, "condition", text, true, [], true, false) { Error = error, Errors = [error] };

    /// <summary>A template of a step's config, declared by its executor; <paramref name="stepPointer"/> is the step's JSON pointer.</summary>
    public static PlannedText ForTemplate(string stepPointer, StepTemplate template, Binding.TemplateCache cache) =>
        Parse(cache, new PlannedText(stepPointer + "/config" + template.Pointer, template.Label, template.Text, false, template.ExtraRoots, template.Checked, template.RenderedByEngine)
        {
            ConfigPointer = template.Pointer,
        });

    /// <summary>
    /// A step's <c>cache.key</c> (issue 14): checked and read for implicit dependencies like any template, rendered by
    /// the up-to-date check only (never put into the config).
    /// </summary>
    public static PlannedText ForCacheKey(string stepPointer, string text, Binding.TemplateCache cache) =>
        Parse(cache, new PlannedText(stepPointer + "/cache/key", "cache.key", text, false, [], true, false) { ConfigPointer = "/cache/key" });

    /// <summary>An <c>env</c> value: the workflow's (<paramref name="stepPointer"/> null) or the step's.</summary>
    public static PlannedText ForEnvironment(string? stepPointer, string key, string text, Binding.TemplateCache cache)
    {
        var escaped = Loading.YamlPointer.Escape(key);
        return Parse(cache, stepPointer is null
            ? new PlannedText("/env/" + escaped, "env." + key, text, false, [], true, true) { EnvironmentKey = key }
            : new PlannedText($"{stepPointer}/config/env/{escaped}", "config.env." + key, text, false, [], true, true) { ConfigPointer = "/env/" + escaped, EnvironmentKey = key });
    }

    // Through the plan's cache: a text an executor renders at run time (an agent prompt) is not parsed a second time.
    // A broken one is read once more, hole by hole, so that the planner and the validator can report all of it.
    private static PlannedText Parse(Binding.TemplateCache cache, PlannedText text)
    {
        if (cache.TryParse(text.Text, out var template, out var error))
        {
            return text.With(template, null, [], template.References);
        }

        var errors = Template.ParseEvery(text.Text, out var references);
        return text.With(null, error, errors, references);
    }

    private PlannedText With(Template? template, ExpressionError? error, IReadOnlyList<ExpressionError> errors, IReadOnlyList<PathReference> references) =>
        new(Pointer, Label, Text, IsCondition, ExtraRoots, Checked, RenderedByEngine)
        {
            ConfigPointer = ConfigPointer,
            EnvironmentKey = EnvironmentKey,
            Template = template,
            Error = error,
            Errors = errors,
            CheckableReferences = references,
        };

    /// <summary>The ids of the steps it reads through <c>steps.ID…</c>.</summary>
    public IEnumerable<string> StepsRead()
    {
        foreach (var reference in References)
        {
            if (reference.Root == "steps" && reference.Segments.Count > 0)
            {
                yield return reference.Segments[0];
            }
        }
    }
}
