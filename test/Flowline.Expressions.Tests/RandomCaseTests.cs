using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

/// <summary><c>random()</c> and <c>random(min, max)</c> (issue 19), from Cases/functions-random.txt and a seeded scope.</summary>
public sealed class RandomCaseTests
{
    public static TheoryData<string, string> Cases => CaseFile.Load("functions-random.txt");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_gives_the_expected_value_or_error(string input, string expected) =>
        FunctionCase.Check(input, expected, new SeededScope(TestScope.Create(), seed: 19));

    [Fact]
    public void The_same_seed_gives_the_same_numbers()
    {
        var first = Draw(new SeededScope(TestScope.Create(), seed: 7), "random(1, 1000000)", 20);
        var second = Draw(new SeededScope(TestScope.Create(), seed: 7), "random(1, 1000000)", 20);

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, "twenty draws were all the same number");
    }

    [Fact]
    public void Both_bounds_can_come_out_and_nothing_outside_them()
    {
        var draws = Draw(new SeededScope(TestScope.Create(), seed: 1), "random(1, 3)", 300);

        Assert.Equal([1.0, 2.0, 3.0], draws.Distinct().Order());
    }

    [Fact]
    public void A_scope_that_supplies_no_source_draws_from_the_shared_one()
    {
        IExpressionScope scope = TestScope.Create();

        Assert.Same(Random.Shared, scope.Random);
        Assert.InRange(Draw(scope, "random()", 1)[0], 0, 0.9999999999999999);
    }

    private static List<double> Draw(IExpressionScope scope, string text, int count)
    {
        Assert.True(Expression.TryParse(text, out var expression, out var parseError), parseError?.Message);
        var values = new List<double>();
        for (var i = 0; i < count; i++)
        {
            Assert.True(expression.TryEvaluate(scope, out var value, out var error), error);
            values.Add(Assert.IsType<double>(value));
        }

        return values;
    }

    /// <summary>A scope that overrides the random source, as a host makes runs repeatable.</summary>
    private sealed class SeededScope(IExpressionScope inner, int seed) : IExpressionScope
    {
        public ExpressionStatus Status => inner.Status;

        public TimeProvider TimeProvider => inner.TimeProvider;

        public Random Random { get; } = new(seed);

        public bool TryGetRoot(string name, out object? value) => inner.TryGetRoot(name, out value);
    }
}
