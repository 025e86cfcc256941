using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

/// <summary><c>matches(text, pattern)</c> (issue 19), from Cases/functions-patterns.txt.</summary>
public sealed class PatternCaseTests
{
    public static TheoryData<string, string> Cases => CaseFile.Load("functions-patterns.txt");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_gives_the_expected_value_or_error(string input, string expected) =>
        FunctionCase.Check(input, expected, TestScope.Create());

    [Fact]
    public void An_invalid_literal_pattern_is_a_parse_error_with_its_own_code()
    {
        Assert.False(Expression.TryParse("matches(variables.x, '[a-')", out _, out var error));

        Assert.Equal(ErrorCodes.InvalidPattern, error.Code);
        Assert.Equal(21, error.Position);
    }

    [Fact]
    public void A_huge_pattern_is_refused_rather_than_compiled()
    {
        var pattern = new string('a', 1001);

        Assert.False(Expression.TryParse($"matches('a', '{pattern}')", out _, out var error));

        Assert.Contains("is 1001 characters long; the limit is 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_whose_automaton_would_explode_is_refused_when_parsed()
    {
        Assert.False(Expression.TryParse("matches('aaaa', '(a{1000}){1000}')", out _, out var error));

        Assert.Equal(ErrorCodes.InvalidPattern, error.Code);
        Assert.Contains("cannot run in linear time", error.Message, StringComparison.Ordinal);
    }
}
