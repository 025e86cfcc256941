using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Templates;

/// <summary>A piece of a template: literal text or a <c>{{ expression }}</c> hole.</summary>
internal abstract record TemplatePart;

internal sealed record LiteralPart(string Text) : TemplatePart;

/// <param name="Expression">The parsed hole, positions relative to the whole template.</param>
/// <param name="Source">The text between the braces, for messages.</param>
/// <param name="Position">The offset of the opening <c>{{</c>.</param>
internal sealed record HolePart(Node Expression, string Source, int Position) : TemplatePart;
