using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>
/// The one path a <c>{{ }}</c> template takes from text to output at run time: parsed once per text and cached, its
/// parse errors described one way (<see cref="StepBinder.Describe"/>: code, 1-based column, caret). The binder renders
/// script fields through its run's cache, and the agent executor its prompts, parameters and command arguments through
/// the same one (issue 11: agents parsed on every render and reported 0-based positions).
/// </summary>
internal sealed class TemplateCache
{
    private readonly ConcurrentDictionary<string, Parsed> _templates = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private int _count;

    /// <param name="capacity">
    /// How many texts to keep. A run's binder keeps all (its texts come from one workflow); a cache that outlives runs
    /// is bounded, and past the bound parses without keeping.
    /// </param>
    public TemplateCache(int capacity = int.MaxValue)
    {
        _capacity = capacity;
    }

    /// <summary>Renders <paramref name="text"/> against <paramref name="scope"/>; text without <c>{{</c> is returned as it is.</summary>
    public bool TryRender(
        string text,
        TemplateLabel label,
        IExpressionScope scope,
        TemplateRenderOptions options,
        [NotNullWhen(true)] out string? rendered,
        [NotNullWhen(false)] out string? error)
    {
        if (!Template.ContainsTemplate(text))
        {
            rendered = text;
            error = null;
            return true;
        }

        if (!TryParse(text, out var template, out var parseError))
        {
            rendered = null;
            error = label.Invalid(StepBinder.Describe(parseError, text));
            return false;
        }

        if (!template.TryRender(scope, options, out rendered, out var failure))
        {
            error = label.Failed(failure);
            return false;
        }

        error = null;
        return true;
    }

    public bool TryParse(string text, [NotNullWhen(true)] out Template? template, [NotNullWhen(false)] out ExpressionError? error)
    {
        if (!_templates.TryGetValue(text, out var parsed))
        {
            // Two threads may parse the same text at once; their results are equal, so either may be kept. (A count of
            // our own: ConcurrentDictionary.Count takes every lock.)
            parsed = Template.TryParse(text, out var t, out var e) ? new Parsed(t, null) : new Parsed(null, e);
            if (Volatile.Read(ref _count) < _capacity && _templates.TryAdd(text, parsed))
            {
                Interlocked.Increment(ref _count);
            }
        }

        template = parsed.Template;
        error = parsed.Error;
        return template is not null;
    }

    private readonly record struct Parsed(Template? Template, ExpressionError? Error);
}

/// <summary>
/// What a template is, in its error messages. A config field reads as a key path (<c>config.args[1]: x is not
/// defined</c>); a prose name needs a verb (<c>the prompt of step 'x' cannot be rendered: x is not defined</c>).
/// A parse error reads the same for both: <c>… is not a valid template: FL3006 at column 4: …</c>.
/// </summary>
internal readonly record struct TemplateLabel(string Name, bool IsProse)
{
    /// <summary>A config field by its path, such as <c>config.args[1]</c>.</summary>
    public static TemplateLabel Field(string path) => new(path, IsProse: false);

    /// <summary>A template named in words, such as <c>the prompt of step 'x'</c>.</summary>
    public static TemplateLabel Prose(string name) => new(name, IsProse: true);

    public string Invalid(string description) => $"{Name} is not a valid template: {description}";

    public string Failed(string failure) => IsProse ? $"{Name} cannot be rendered: {failure}" : $"{Name}: {failure}";
}
