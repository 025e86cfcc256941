using Flowline.Planning;

namespace Flowline;

public sealed partial record ScriptStepConfig
{
    /// <summary>
    /// The command, each argument and the working directory are templates the engine renders before the step starts
    /// (each argument stays one argument, issue 4); <c>env</c> is the step's own environment; the timeout is the
    /// engine's to enforce unless the executor says it enforces it (the local script executor does).
    /// </summary>
    internal override StepTraits Traits()
    {
        List<StepTemplate>? templates = null;
        ConfigTemplates.Add(ref templates, "/command", "config.command", Command, renderedByEngine: true);
        for (var i = 0; i < Args.Count; i++)
        {
            ConfigTemplates.Add(ref templates, $"/args/{i}", $"config.args[{i}]", Args[i], renderedByEngine: true);
        }

        ConfigTemplates.Add(ref templates, "/workingDirectory", "config.workingDirectory", WorkingDirectory, renderedByEngine: true);
        return Timeout is null && templates is null && Env.Count == 0
            ? StepTraits.None
            : new StepTraits { Timeout = Timeout, Environment = Env, Templates = templates is null ? [] : templates };
    }

    internal override IEnumerable<(string Field, string Value, string Hint)> RequiredFields() =>
        [("command", Command, "name the program to run, such as 'command: echo'")];

    internal override bool HasReadableTimeout() => true;

    internal override StepConfig Bind(IReadOnlyDictionary<string, string> rendered, IReadOnlyDictionary<string, string> environment)
    {
        string[]? args = null;
        for (var i = 0; i < Args.Count; i++)
        {
            if (rendered.TryGetValue($"/args/{i}", out var arg))
            {
                args ??= [.. Args];
                args[i] = arg;
            }
        }

        return this with
        {
            Command = rendered.GetValueOrDefault("/command", Command),
            Args = args ?? Args,
            WorkingDirectory = WorkingDirectory is null ? null : rendered.GetValueOrDefault("/workingDirectory", WorkingDirectory),
            Env = environment,
        };
    }
}
