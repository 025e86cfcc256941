using Flowline.Expressions.Evaluation;
using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

public sealed class ExpressionCaseTests
{
    public static TheoryData<string, string> Evaluation => CaseFile.Load("evaluation.txt");

    public static TheoryData<string, string> ParseErrors => CaseFile.Load("parse-errors.txt");

    [Theory]
    [MemberData(nameof(Evaluation))]
    public void Expression_evaluates_to_the_expected_value(string input, string expected)
    {
        Assert.True(Expression.TryParse(input, out var expression, out var parseError), parseError?.Message);

        var ok = expression.TryEvaluate(TestScope.Create(), out var value, out var error);

        if (expected.StartsWith("error:", StringComparison.Ordinal))
        {
            Assert.False(ok, $"expected an error but got {Show(value)}");
            Assert.Contains(expected["error:".Length..].Trim(), error, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(ok, error);
            Assert.Equal(expected, Show(value));
        }
    }

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void Invalid_expression_is_reported_with_its_position(string input, string expected)
    {
        var colon = expected.IndexOf(':', StringComparison.Ordinal);
        var position = int.Parse(expected[..colon], System.Globalization.CultureInfo.InvariantCulture);
        var message = expected[(colon + 1)..].Trim();

        Assert.False(Expression.TryParse(input, out _, out var error), "the expression parsed");

        Assert.True(
            error.Position == position && error.Message.Contains(message, StringComparison.Ordinal),
            $"expected {position}: …{message}… but got {error.Position}: {error.Message}");
    }

    internal static string Show(object? value) => value is Undefined ? "undefined" : JsonText.Write(value);
}
