namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: random(), random(min, max), from an injectable source.</summary>
    private static FunctionDefinition[] RandomNumbers() => [];
}
