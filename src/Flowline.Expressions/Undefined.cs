namespace Flowline.Expressions;

/// <summary>
/// The value of a path that does not exist, as in JavaScript. Falsy in conditions; an error in templates
/// unless <see cref="TemplateRenderOptions.AllowUndefined"/> is set.
/// </summary>
public sealed class Undefined
{
    private Undefined()
    {
    }

    /// <summary>The single undefined value.</summary>
    public static Undefined Value { get; } = new();

    /// <summary>Returns <c>undefined</c>.</summary>
    /// <returns>The text <c>undefined</c>.</returns>
    public override string ToString() => "undefined";
}
