using System.Diagnostics.CodeAnalysis;
using Flowline.Execution;
using Flowline.Planning;

namespace Flowline.Caching;

/// <summary>
/// The parts of a step's key other than its source files (issue 14, docs/caching.md "The key"), each hashed: the
/// upstream values its condition and templates read, its type, each top-level config field as the binder renders it,
/// its effective environment and its rendered <c>cache.key</c>.
/// </summary>
internal static class CacheInputs
{
    public static bool TryCollect(
        PlannedStep planned,
        ITemplateRenderer? renderer,
        IStepRunState state,
        SortedDictionary<string, string> inputs,
        [NotNullWhen(false)] out string? error)
    {
        var step = planned.Step;
        error = null;
        if (planned.Condition is { } condition)
        {
            Upstream(condition, state, inputs);
        }

        foreach (var text in planned.Templates)
        {
            Upstream(text, state, inputs);
        }

        inputs["type"] = CacheHash.Of(step.Type);

        // Rendered as a whole, as a custom executor would see it; a text only its executor can render (an agent
        // prompt reading 'parameters') keeps the config as written, and its upstream reads count above.
        IReadOnlyDictionary<string, object?> config = step.Config.Raw;
        if (renderer is not null && renderer.TryRenderConfig(step.Id, out var rendered, out _))
        {
            config = rendered;
        }

        foreach (var (field, value) in config)
        {
            if (field != "env")
            {
                inputs[field] = CacheHash.Of(value);
            }
        }

        inputs["env"] = CacheHash.Of(Environment(planned, renderer, state));
        if (step.Cache?.Key is { } key)
        {
            string? text = key;
            if (renderer is not null && !renderer.TryRender(step.Id, key, null, out text, out var failure))
            {
                error = "cache.key: " + failure;
                return false;
            }

            inputs["key"] = CacheHash.Of(text);
        }

        return true;
    }

    private static object? Environment(PlannedStep planned, ITemplateRenderer? renderer, IStepRunState state)
    {
        if (renderer?.CreateScope(planned.Id) is { } scope && scope.TryGetRoot("env", out var env))
        {
            return env;
        }

        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in state.Workflow.Env)
        {
            merged[name] = value;
        }

        foreach (var (name, value) in planned.Traits.Environment)
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>Each <c>steps.ID.FIELD</c> the text reads, with the value that step has now.</summary>
    private static void Upstream(PlannedText text, IStepRunState state, SortedDictionary<string, string> inputs)
    {
        foreach (var reference in text.References)
        {
            if (reference.Root != "steps" || reference.Segments.Count < 2)
            {
                continue;
            }

            var name = $"steps.{reference.Segments[0]}.{reference.Segments[1]}";
            if (inputs.ContainsKey(name) || !state.TryGetStepResult(reference.Segments[0], out var result))
            {
                continue;
            }

            inputs[name] = reference.Segments[1] == "output"
                ? CacheHash.Of(new object?[] { Expressions.ValueFormatter.Render(result.Output), result.Outputs })
                : CacheHash.Of(Binding.StepsRoot.View(result).GetValueOrDefault(reference.Segments[1]));
        }
    }
}
