namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: default, empty, notEmpty, toNumber, toString, toBoolean.</summary>
    private static FunctionDefinition[] Conversions() => [];
}
