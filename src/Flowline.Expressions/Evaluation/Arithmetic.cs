using System.Globalization;
using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Evaluation;

/// <summary>
/// The one set of number rules shared by the operators <c>+ - * / %</c> and the functions <c>add</c> … <c>ceil</c>
/// (docs/expressions.md "Arithmetic"). Operands are numbers, or text that reads as a number because workflow
/// variables arrive as text; anything else is an error rather than JavaScript's NaN or string concatenation, and a
/// result that is not a finite number is an error too, so a condition never silently compares against NaN.
/// </summary>
internal static class Arithmetic
{
    public static string Symbol(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        _ => "%",
    };

    /// <summary>The operand as a number, or an error naming <paramref name="what"/> (a path, or "its left operand").</summary>
    public static double Number(object? value, string doing, string what)
    {
        switch (value)
        {
            case double d:
                return d;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed):
                return parsed;
            default:
                var hint = value is string ? ": to join text use format('{0}{1}', a, b)" : "";
                throw new EvaluationException($"{doing} needs numbers but {what} is {Show(value)}{hint}");
        }
    }

    public static double Apply(ArithmeticOperator op, double x, double y)
    {
        if (y == 0 && op is ArithmeticOperator.Divide or ArithmeticOperator.Remainder)
        {
            throw new EvaluationException($"division by zero in {Format(x)} {Symbol(op)} 0: guard the divisor, e.g. d !== 0 ? n {Symbol(op)} d : 0");
        }

        var result = op switch
        {
            ArithmeticOperator.Add => x + y,
            ArithmeticOperator.Subtract => x - y,
            ArithmeticOperator.Multiply => x * y,
            ArithmeticOperator.Divide => x / y,
            _ => x % y,
        };
        return Finite(result, $"{Format(x)} {Symbol(op)} {Format(y)}");
    }

    public static double Finite(double result, string calculation) => double.IsFinite(result)
        ? result
        : throw new EvaluationException($"{calculation} is too large for a number (beyond ±1.8e308)");

    private static string Format(double d) => ValueFormatter.FormatNumber(d);

    private static string Show(object? value) => value switch
    {
        string { Length: 0 } => "empty text",
        string s when s.Length > 40 => $"the text '{s[..40]}…'",
        string s => $"the text '{s}'",
        _ => Values.Describe(value),
    };
}
