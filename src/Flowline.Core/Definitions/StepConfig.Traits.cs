using Flowline.Planning;

namespace Flowline;

public abstract partial record StepConfig
{
    /// <summary>
    /// What the engine needs from a step with this config when its executor adds nothing (the default of
    /// <see cref="StepExecutor.Describe"/>): for a config without a typed view, <c>config.timeout</c> (enforced by the
    /// engine) and every string holding <c>{{</c> as a template the executor renders itself. Typed configs say more.
    /// </summary>
    internal virtual StepTraits Traits()
    {
        var templates = ConfigTemplates.Leaves(Raw, checkedByValidator: false);
        ConfigTimeout.TryRead(Raw, out var timeout);
        return timeout is null && templates.Count == 0 ? StepTraits.None : new StepTraits { Timeout = timeout, Templates = templates };
    }

    /// <summary>The fields a step with this config cannot do without, for the validator: name, value, and how to fill it in.</summary>
    internal virtual IEnumerable<(string Field, string Value, string Hint)> RequiredFields() => [];

    /// <summary>False when <c>config.timeout</c> is present but is no duration (a typed config's loader reports that itself).</summary>
    internal virtual bool HasReadableTimeout() => ConfigTimeout.TryRead(Raw, out _);

    /// <summary>This config with the templates the engine rendered (by <see cref="StepTemplate.Pointer"/>) and the rendered environment put in place.</summary>
    internal virtual StepConfig Bind(IReadOnlyDictionary<string, string> rendered, IReadOnlyDictionary<string, string> environment) => this;
}
