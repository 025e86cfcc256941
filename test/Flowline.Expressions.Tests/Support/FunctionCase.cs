using System.Globalization;

namespace Flowline.Expressions.Tests.Support;

/// <summary>
/// Checks one line of a function case file: the expected side is a value as compact JSON (or <c>undefined</c>),
/// <c>error: substring</c> for an evaluation error, or <c>parse N: substring</c> for a parse error at offset N.
/// </summary>
internal static class FunctionCase
{
    public static void Check(string input, string expected, IExpressionScope scope)
    {
        var parsed = Expression.TryParse(input, out var expression, out var parseError);
        if (expected.StartsWith("parse ", StringComparison.Ordinal))
        {
            var colon = expected.IndexOf(':', StringComparison.Ordinal);
            var position = int.Parse(expected["parse ".Length..colon], CultureInfo.InvariantCulture);
            Assert.False(parsed, "the expression parsed");
            Assert.NotNull(parseError);
            Assert.True(
                parseError.Position == position && parseError.Message.Contains(expected[(colon + 1)..].Trim(), StringComparison.Ordinal),
                $"expected {expected} but got {parseError.Position}: {parseError.Message}");
            return;
        }

        Assert.True(parsed, parseError?.Message);
        Assert.NotNull(expression);
        var ok = expression.TryEvaluate(scope, out var value, out var error);
        if (expected.StartsWith("error:", StringComparison.Ordinal))
        {
            Assert.False(ok, $"expected an error but got {ExpressionCaseTests.Show(value)}");
            Assert.Contains(expected["error:".Length..].Trim(), error, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(ok, error);
            Assert.Equal(expected, ExpressionCaseTests.Show(value));
        }
    }
}
