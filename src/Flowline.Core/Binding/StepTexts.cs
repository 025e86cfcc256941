using Flowline.Expressions;

namespace Flowline.Binding;

/// <summary>Where a condition or template sits in a step: its JSON pointer in the file, a label for messages, its text.</summary>
internal readonly record struct StepText(string Pointer, string Label, string Text, bool IsCondition);

/// <summary>
/// Every condition and template of a step (issue 4 "Where templates apply"): the condition; script <c>command</c>,
/// <c>args</c>, <c>workingDirectory</c> and <c>env</c> values (rendered by the binder); agent <c>prompt</c> and string
/// leaves of <c>parameters</c> (rendered by the agent executor); string leaves of a custom step's config (rendered by
/// its executor through <see cref="StepExecutionContext.Render(string)"/>). All of them count for implicit dependencies.
/// </summary>
internal static class StepTexts
{
    public static string PointerOf(WorkflowStep step, int index) => step.SourcePath ?? $"/steps/{index}";

    public static IEnumerable<StepText> Enumerate(WorkflowStep step, int index)
    {
        var pointer = PointerOf(step, index);
        if (!string.IsNullOrWhiteSpace(step.Condition))
        {
            yield return new StepText(pointer + "/condition", "condition", step.Condition, true);
        }

        var config = pointer + "/config";
        switch (step.Config)
        {
            case ScriptStepConfig script:
                yield return new StepText(config + "/command", "config.command", script.Command, false);
                for (var i = 0; i < script.Args.Count; i++)
                {
                    yield return new StepText($"{config}/args/{i}", $"config.args[{i}]", script.Args[i], false);
                }

                if (script.WorkingDirectory is { } directory)
                {
                    yield return new StepText(config + "/workingDirectory", "config.workingDirectory", directory, false);
                }

                foreach (var (key, value) in script.Env)
                {
                    yield return new StepText($"{config}/env/{Loading.YamlPointer.Escape(key)}", $"config.env.{key}", value, false);
                }

                break;
            case AgentStepConfig agent:
                if (agent.Prompt is { } prompt)
                {
                    yield return new StepText(config + "/prompt", "config.prompt", prompt, false);
                }

                foreach (var leaf in Leaves(agent.Parameters, config + "/parameters", "config.parameters"))
                {
                    yield return leaf;
                }

                break;
            default:
                foreach (var leaf in Leaves(step.Config.Raw, config, "config"))
                {
                    yield return leaf;
                }

                break;
        }
    }

    /// <summary>
    /// Whether <see cref="Enumerate"/> would yield a condition or a text holding <c>{{</c>: the only texts that binding,
    /// implicit dependencies and the validator look at. Allocates nothing, so that the scans of every run and every
    /// validation skip the plain steps of a large graph without building their pointers and labels (issue 7, B5/B7).
    /// </summary>
    public static bool HasBindableText(WorkflowStep step)
    {
        if (!string.IsNullOrWhiteSpace(step.Condition))
        {
            return true;
        }

        switch (step.Config)
        {
            case ScriptStepConfig script:
                if (Template.ContainsTemplate(script.Command) || (script.WorkingDirectory is { } directory && Template.ContainsTemplate(directory)))
                {
                    return true;
                }

                for (var i = 0; i < script.Args.Count; i++)
                {
                    if (Template.ContainsTemplate(script.Args[i]))
                    {
                        return true;
                    }
                }

                return script.Env.Count > 0 && script.Env.Values.Any(Template.ContainsTemplate);
            case AgentStepConfig agent:
                return (agent.Prompt is { } prompt && Template.ContainsTemplate(prompt)) || HasTemplateLeaf(agent.Parameters);
            default:
                return HasTemplateLeaf(step.Config.Raw);
        }
    }

    /// <summary>The workflow's <c>env</c> values, rendered for every step.</summary>
    public static IEnumerable<StepText> WorkflowEnv(WorkflowDefinition workflow)
    {
        foreach (var (key, value) in workflow.Env)
        {
            yield return new StepText("/env/" + Loading.YamlPointer.Escape(key), "env." + key, value, false);
        }
    }

    private static bool HasTemplateLeaf(object? value)
    {
        switch (value)
        {
            case string s:
                return Template.ContainsTemplate(s);
            case Dictionary<string, object?> map:
                // The loader's maps: enumerated without boxing the enumerator.
                foreach (var item in map.Values)
                {
                    if (HasTemplateLeaf(item))
                    {
                        return true;
                    }
                }

                return false;
            case IReadOnlyDictionary<string, object?> map:
                return map.Count > 0 && map.Values.Any(HasTemplateLeaf);
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (HasTemplateLeaf(list[i]))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static IEnumerable<StepText> Leaves(object? value, string pointer, string label)
    {
        switch (value)
        {
            case string s:
                yield return new StepText(pointer, label, s, false);
                break;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (key, item) in map)
                {
                    foreach (var leaf in Leaves(item, pointer + "/" + Loading.YamlPointer.Escape(key), label + "." + key))
                    {
                        yield return leaf;
                    }
                }

                break;
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var leaf in Leaves(list[i], $"{pointer}/{i}", $"{label}[{i}]"))
                    {
                        yield return leaf;
                    }
                }

                break;
        }
    }
}
