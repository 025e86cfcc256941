namespace Flowline.Expressions;

/// <summary>Options for <see cref="Template.TryRender"/>.</summary>
public sealed record TemplateRenderOptions
{
    /// <summary>The defaults: an undefined value in a hole is an error.</summary>
    public static TemplateRenderOptions Default { get; } = new();

    /// <summary>
    /// Render an undefined value as the empty string instead of failing. Off by default, because a
    /// misspelt path silently vanishing from a prompt or command is worse than a clear error.
    /// </summary>
    public bool AllowUndefined { get; init; }
}
