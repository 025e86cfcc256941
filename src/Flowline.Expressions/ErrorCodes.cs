namespace Flowline.Expressions;

/// <summary>
/// The stable FL3xxx codes carried by <see cref="ExpressionError.Code"/>.
/// </summary>
public static class ErrorCodes
{
    /// <summary>FL3001: the text does not follow the grammar (unexpected or missing token).</summary>
    public const string Syntax = "FL3001";

    /// <summary>FL3002: a string literal has no closing quote or a bad escape.</summary>
    public const string String = "FL3002";

    /// <summary>FL3003: a call names a function the language does not have.</summary>
    public const string UnknownFunction = "FL3003";

    /// <summary>FL3004: a function is called with the wrong number of arguments.</summary>
    public const string Arity = "FL3004";

    /// <summary>FL3005: the expression nests deeper than <see cref="Expression.MaxDepth"/>.</summary>
    public const string TooDeep = "FL3005";

    /// <summary>FL3006: a template's <c>{{</c> has no closing <c>}}</c>, or the hole is empty.</summary>
    public const string Template = "FL3006";

    /// <summary>FL3020: a literal pattern given to <c>matches</c> is not a valid (linear-time) regular expression.</summary>
    public const string InvalidPattern = "FL3020";
}
