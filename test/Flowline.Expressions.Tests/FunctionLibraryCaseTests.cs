using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

/// <summary>Issue 19's dates, path text, list and conversion functions, from Cases/functions-library.txt.</summary>
public sealed class FunctionLibraryCaseTests
{
    public static TheoryData<string, string> Cases => CaseFile.Load("functions-library.txt");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Library_function_gives_the_expected_value_or_error(string input, string expected)
    {
        Assert.True(Expression.TryParse(input, out var expression, out var parseError), parseError?.Message);

        var ok = expression.TryEvaluate(TestScope.Create(), out var value, out var error);

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
