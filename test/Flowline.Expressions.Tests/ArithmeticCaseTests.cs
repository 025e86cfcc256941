using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

/// <summary>The operators <c>+ - * / %</c> and the functions add … ceil (issue 19), from Cases/functions-arithmetic.txt.</summary>
public sealed class ArithmeticCaseTests
{
    public static TheoryData<string, string> Cases => CaseFile.Load("functions-arithmetic.txt");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Arithmetic_expression_gives_the_expected_value_or_error(string input, string expected) =>
        FunctionCase.Check(input, expected, TestScope.Create());
}
