namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Bounds are whole numbers a double holds exactly, so every value in the range can come out.</summary>
    private const double MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>Issue 19: <c>random()</c> and <c>random(min, max)</c>, from the scope's source (never for security).</summary>
    private static FunctionDefinition[] RandomNumbers() =>
    [
        new("random", 0, 2, "random() or random(min, max)", RandomNumber),
    ];

    /// <summary>
    /// Without arguments a number in [0, 1) as JavaScript's Math.random; with bounds a whole number from min to max,
    /// both included, which is what a workflow wants for a jitter or a shard index.
    /// </summary>
    private static object? RandomNumber(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a.Count == 0)
        {
            return scope.Random.NextDouble();
        }

        if (a.Count == 1)
        {
            throw new EvaluationException("random() takes no arguments, or both min and max: random(1, 6)");
        }

        var min = WholeBound(a, 0);
        var max = WholeBound(a, 1);
        if (min > max)
        {
            throw new EvaluationException($"random() was given min {ValueFormatter.FormatNumber(min)} above max {ValueFormatter.FormatNumber(max)}: swap them");
        }

        return (double)scope.Random.NextInt64((long)min, (long)max + 1);
    }

    private static double WholeBound(IReadOnlyList<object?> a, int index)
    {
        var bound = Evaluation.Arithmetic.Number(a[index], "random()", index == 0 ? "its min" : "its max");
        return bound == Math.Floor(bound) && Math.Abs(bound) <= MaxSafeInteger
            ? bound
            : throw new EvaluationException(
                $"random() takes whole numbers from -{ValueFormatter.FormatNumber(MaxSafeInteger)} to {ValueFormatter.FormatNumber(MaxSafeInteger)} as bounds but was given {ValueFormatter.FormatNumber(bound)}");
    }
}
