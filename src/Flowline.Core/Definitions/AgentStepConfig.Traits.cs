using Flowline.Planning;

namespace Flowline;

public sealed partial record AgentStepConfig
{
    private static readonly string[] ParameterRoots = ["agent"];
    private static readonly string[] PromptRoots = ["agent", "parameters"];

    internal override IEnumerable<(string Field, string Value, string Hint)> RequiredFields() =>
        [("agent", Agent, "name the agent to invoke, such as 'agent: code-analyzer'")];

    internal override bool HasReadableTimeout() => true;

    /// <summary>
    /// The prompt and parameters are templates the agent executor renders itself, adding the roots <c>agent</c>
    /// (both) and <c>parameters</c> (the prompt; docs/agents.md); the timeout is the engine's to enforce.
    /// </summary>
    internal override StepTraits Traits()
    {
        List<StepTemplate>? templates = null;
        ConfigTemplates.Add(ref templates, "/prompt", "config.prompt", Prompt, extraRoots: PromptRoots);
        foreach (var leaf in ConfigTemplates.Leaves(Parameters, checkedByValidator: true, "/parameters", "config.parameters", ParameterRoots))
        {
            (templates ??= []).Add(leaf);
        }

        return Timeout is null && templates is null
            ? StepTraits.None
            : new StepTraits { Timeout = Timeout, Templates = templates is null ? [] : templates };
    }
}
