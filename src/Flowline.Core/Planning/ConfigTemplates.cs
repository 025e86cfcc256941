using Flowline.Expressions;
using Flowline.Loading;

namespace Flowline.Planning;

/// <summary>Builds <see cref="StepTemplate"/> lists from config values: only texts that hold <c>{{</c>, so a plain step allocates nothing.</summary>
internal static class ConfigTemplates
{
    /// <summary>Every string leaf under <paramref name="value"/> holding <c>{{</c>, with its pointer and label.</summary>
    public static IReadOnlyList<StepTemplate> Leaves(object? value, bool checkedByValidator, string pointer = "", string label = "config", IReadOnlyList<string>? extraRoots = null)
    {
        List<StepTemplate>? found = null;
        Collect(value, pointer, label, checkedByValidator, extraRoots ?? [], ref found);
        return found is null ? [] : found;
    }

    /// <summary>Adds a template for <paramref name="text"/> when it holds <c>{{</c>.</summary>
    public static void Add(ref List<StepTemplate>? found, string pointer, string label, string? text, bool renderedByEngine = false, IReadOnlyList<string>? extraRoots = null)
    {
        if (text is not null && Template.ContainsTemplate(text))
        {
            (found ??= []).Add(new StepTemplate(pointer, label, text) { RenderedByEngine = renderedByEngine, ExtraRoots = extraRoots ?? [] });
        }
    }

    private static void Collect(object? value, string pointer, string label, bool checkedByValidator, IReadOnlyList<string> extraRoots, ref List<StepTemplate>? found)
    {
        switch (value)
        {
            case string s when Template.ContainsTemplate(s):
                (found ??= []).Add(new StepTemplate(pointer, label, s) { Checked = checkedByValidator, ExtraRoots = extraRoots });
                break;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (key, item) in map)
                {
                    if (MayHoldTemplate(item))
                    {
                        Collect(item, pointer + "/" + YamlPointer.Escape(key), label + "." + key, checkedByValidator, extraRoots, ref found);
                    }
                }

                break;
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (MayHoldTemplate(list[i]))
                    {
                        Collect(list[i], $"{pointer}/{i}", $"{label}[{i}]", checkedByValidator, extraRoots, ref found);
                    }
                }

                break;
        }
    }

    private static bool MayHoldTemplate(object? value) => value is IReadOnlyDictionary<string, object?> or IReadOnlyList<object?> || (value is string s && Template.ContainsTemplate(s));
}
