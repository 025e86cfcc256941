namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: substring, first, last, at, slice.</summary>
    private static FunctionDefinition[] Lists() => [];
}
