namespace Flowline;

/// <summary>A text of a step's config that holds <c>{{ }}</c> templates, as its executor declares it in <see cref="StepTraits"/>.</summary>
/// <param name="Pointer">Where the text sits under the step's <c>config</c>, as a JSON pointer (<c>/args/0</c>); locates diagnostics in the file.</param>
/// <param name="Label">How messages name it (<c>config.args[0]</c>).</param>
/// <param name="Text">The text.</param>
public sealed record StepTemplate(string Pointer, string Label, string Text)
{
    /// <summary>
    /// True when the engine renders the text before the executor runs (script <c>command</c> and <c>args</c>); false
    /// (the default) when the executor renders it itself through <see cref="StepExecutionContext.TryRender(string, out string?, out string?)"/>.
    /// </summary>
    public bool RenderedByEngine { get; init; }

    /// <summary>Roots the executor adds when it renders the text (the agent executor's <c>agent</c> and <c>parameters</c>), beyond <c>env</c>, <c>variables</c>, <c>steps</c>, <c>workflow</c> and <c>run</c>.</summary>
    public IReadOnlyList<string> ExtraRoots { get; init; } = [];

    /// <summary>
    /// True (the default) when <c>flowline validate</c> checks the text's syntax and references; false for free-form
    /// texts whose braces may mean something else to their executor (a mustache body in a custom config).
    /// </summary>
    public bool Checked { get; init; } = true;
}
