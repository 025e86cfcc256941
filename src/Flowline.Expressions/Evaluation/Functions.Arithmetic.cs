namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: add, subtract, multiply, divide, round, floor, ceil.</summary>
    private static FunctionDefinition[] Arithmetic() => [];
}
