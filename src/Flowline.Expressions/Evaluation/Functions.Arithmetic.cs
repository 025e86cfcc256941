using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>
    /// Issue 19: the original's arithmetic functions, with the operators' rules (<see cref="Evaluation.Arithmetic"/>),
    /// so <c>add(a, b)</c> and <c>a + b</c> never disagree.
    /// </summary>
    private static FunctionDefinition[] Arithmetic() =>
    [
        new("add", 2, 2, "add(a, b)", (_, a) => Calculate("add", ArithmeticOperator.Add, a)),
        new("subtract", 2, 2, "subtract(a, b)", (_, a) => Calculate("subtract", ArithmeticOperator.Subtract, a)),
        new("multiply", 2, 2, "multiply(a, b)", (_, a) => Calculate("multiply", ArithmeticOperator.Multiply, a)),
        new("divide", 2, 2, "divide(a, b)", (_, a) => Calculate("divide", ArithmeticOperator.Divide, a)),
        new("round", 1, 2, "round(number, digits?)", Round),
        new("floor", 1, 1, "floor(number)", (_, a) => Math.Floor(Argument("floor", a, 0))),
        new("ceil", 1, 1, "ceil(number)", (_, a) => Math.Ceiling(Argument("ceil", a, 0))),
    ];

    private static object? Calculate(string function, ArithmeticOperator op, IReadOnlyList<object?> a) =>
        Evaluation.Arithmetic.Apply(op, Argument(function, a, 0), Argument(function, a, 1));

    private static double Argument(string function, IReadOnlyList<object?> a, int index) =>
        Evaluation.Arithmetic.Number(a[index], $"{function}()", index == 0 ? "its first argument" : "its second argument");

    /// <summary>
    /// Halves round away from zero (2.5 → 3, -2.5 → -3), the rounding people do by hand; JavaScript's Math.round
    /// would give -2 for -2.5. Digits are capped at 15 because a double holds no more.
    /// </summary>
    private static object? Round(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        var value = Argument("round", a, 0);
        var digits = a.Count > 1 ? Argument("round", a, 1) : 0;
        if (digits != Math.Floor(digits) || digits < 0 || digits > 15)
        {
            throw new EvaluationException($"round() takes a whole number of digits from 0 to 15 but was given {ValueFormatter.FormatNumber(digits)}");
        }

        return Math.Round(value, (int)digits, MidpointRounding.AwayFromZero);
    }
}
