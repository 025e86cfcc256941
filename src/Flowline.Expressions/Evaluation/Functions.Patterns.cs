namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: matches, with a match time-out.</summary>
    private static FunctionDefinition[] Patterns() => [];
}
