namespace Flowline.Expressions;

/// <summary>
/// A value that is text but also has named fields, such as a step's output: <c>{{ steps.build.output }}</c> renders
/// the step's stdout, while <c>steps.build.output.version</c> reads its named output <c>version</c>.
/// </summary>
/// <remarks>
/// The evaluator treats such a value as the string <see cref="Text"/> everywhere (rendering, comparison, functions,
/// truthiness, inside <c>toJSON</c>) except when it is the target of a member or index read (<c>.name</c>,
/// <c>['name']</c>): then <see cref="TryGetField"/> is asked first, and a name it does not have is read from the text
/// (so <c>.length</c> still gives the text's length).
/// </remarks>
public interface IStructuredText
{
    /// <summary>The value as text.</summary>
    public string Text { get; }

    /// <summary>Looks up a field by name (ordinal).</summary>
    /// <param name="name">The member name.</param>
    /// <param name="value">The field's value: any value an <see cref="IExpressionScope"/> may supply.</param>
    /// <returns>Whether the field exists.</returns>
    public bool TryGetField(string name, out object? value);
}
