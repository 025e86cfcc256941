using System.Collections.Immutable;
using System.Text.Json;
using Flowline.Expressions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flowline.Expressions.Tests;

public sealed class ExpressionApiTests
{
    private static Expression Parse(string text) =>
        Expression.TryParse(text, out var expression, out var error) ? expression : throw new InvalidOperationException(error.Message);

    private static string Refs(IEnumerable<PathReference> references) =>
        string.Join(" ", references.Select(r => $"{r.Root}[{string.Join("|", r.Segments)}]@{r.Position}"));

    [Fact]
    public void References_list_every_path_read_with_hyphenated_ids_kept_whole()
    {
        var expression = Parse("env.NODE_ENV === 'production' && steps.run-tests.success === false");

        Assert.Equal("env[NODE_ENV]@0 steps[run-tests|success]@33", Refs(expression.References));
    }

    [Fact]
    public void References_include_literal_brackets_and_stop_at_a_computed_index()
    {
        var expression = Parse("steps['build'].output.items[0].name || steps[variables.id].output");

        Assert.Equal("steps[build|output|items|0|name]@0 variables[id]@45 steps[]@39", Refs(expression.References));
    }

    [Fact]
    public void References_look_inside_function_arguments_and_conditionals()
    {
        var expression = Parse("contains(variables.list, 'a') ? run.id : fromJSON(steps.s.output).x");

        Assert.Equal("variables[list]@9 run[id]@32 steps[s|output]@50", Refs(expression.References));
    }

    [Fact]
    public void A_bare_root_is_a_reference_without_segments()
    {
        Assert.Equal("prompt[]@0", Refs(Parse("prompt").References));
    }

    [Fact]
    public void FunctionsUsed_lists_each_function_once_in_canonical_spelling()
    {
        var expression = Parse("always() || CONTAINS(lower('A'), 'a') || contains('b', 'b')");

        Assert.Equal(["always", "contains", "lower"], expression.FunctionsUsed);
    }

    [Fact]
    public void Text_is_the_source_text()
    {
        Assert.Equal(" variables.x ", Parse(" variables.x ").Text);
    }

    [Fact]
    public void Known_roots_are_the_ones_the_spec_names()
    {
        Assert.Equal(["env", "variables", "steps", "workflow", "run", "parameters", "prompt", "matrix"], Expression.KnownRoots);
    }

    [Fact]
    public void Parse_errors_carry_a_stable_code()
    {
        Assert.False(Expression.TryParse("contians('a', 'b')", out _, out var unknown));
        Assert.False(Expression.TryParse("now(1)", out _, out var arity));
        Assert.False(Expression.TryParse("'open", out _, out var unterminated));
        Assert.False(Expression.TryParse(new string('!', 100) + "a", out _, out var deep));
        Assert.False(Expression.TryParse("a b", out _, out var syntax));
        Assert.False(Template.TryParse("{{ a", out _, out var unclosed));

        Assert.Equal(
            [ErrorCodes.UnknownFunction, ErrorCodes.Arity, ErrorCodes.String, ErrorCodes.TooDeep, ErrorCodes.Syntax, ErrorCodes.Template],
            [unknown.Code, arity.Code, unterminated.Code, deep.Code, syntax.Code, unclosed.Code]);
    }

    [Fact]
    public void Error_format_puts_a_caret_under_the_column()
    {
        Assert.False(Expression.TryParse("variables.x = 1", out _, out var error));

        Assert.Equal("variables.x = 1\n            ^", error.Format("variables.x = 1"));
    }

    [Fact]
    public void Error_format_shows_only_the_line_of_a_multi_line_template()
    {
        const string text = "line one\n\tBuild {{ variables.x === }}\nline three";
        Assert.False(Template.TryParse(text, out _, out var error));

        Assert.Equal("\tBuild {{ variables.x === }}\n\t                         ^", error.Format(text));
    }

    [Fact]
    public void Error_format_can_point_past_the_end()
    {
        Assert.Equal("a &&\n    ^", new ExpressionError("x", 4).Format("a &&"));
    }

    [Fact]
    public void Format_cuts_a_long_line_to_a_window_around_the_position_and_says_how_much_it_left_out()
    {
        var text = new string('a', 100_000) + " === " + new string('b', 100_000);

        var formatted = new ExpressionError("x", 100_001).Format(text);

        var lines = formatted.Split('\n');
        Assert.Equal("[99921 characters before] " + new string('a', 79) + " === " + new string('b', 76) + " [99924 characters after]", lines[0]);
        Assert.Equal(lines[0].IndexOf('=', StringComparison.Ordinal), lines[1].IndexOf('^', StringComparison.Ordinal));
        Assert.Equal("^", lines[1].TrimStart());
    }

    [Theory]
    [InlineData(false, false, true, false, true, false)]
    [InlineData(true, false, false, true, true, false)]
    [InlineData(false, true, false, false, true, true)]
    [InlineData(true, true, false, true, true, true)]
    public void Status_functions_report_the_scope_status_as_GitHub_Actions_does(
        bool anyFailed, bool cancelled, bool success, bool failure, bool always, bool isCancelled)
    {
        var scope = TestScope.Create(new ExpressionStatus(anyFailed, cancelled));

        Assert.Equal(
            [success, failure, always, isCancelled],
            new[] { "success()", "failure()", "always()", "cancelled()" }.Select(text => Evaluate(text, scope)));
    }

    [Fact]
    public void Now_reads_the_scope_clock_each_evaluation()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)));
        var scope = new DictionaryScope(new Dictionary<string, object?>(), timeProvider: clock);
        var now = Parse("now()");

        var first = Evaluate(now, scope);
        clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(("2030-05-06T05:08:09.000Z", "2030-05-06T05:08:10.500Z"), (first, Evaluate(now, scope)));
    }

    [Fact]
    public void A_dictionary_scope_defaults_to_the_system_clock_and_a_clean_status()
    {
        var scope = new DictionaryScope(new Dictionary<string, object?>());

        Assert.Equal((TimeProvider.System, default(ExpressionStatus)), (scope.TimeProvider, scope.Status));
    }

    [Fact]
    public void Scope_values_of_other_dotnet_types_are_normalised()
    {
        var scope = new DictionaryScope(new Dictionary<string, object?>
        {
            ["variables"] = ImmutableDictionary<string, object?>.Empty
                .Add("int", 3).Add("long", 4L).Add("decimal", 1.25m).Add("float", 0.1f).Add("byte", (byte)7)
                .Add("char", 'c').Add("strings", new Dictionary<string, string> { ["k"] = "v" })
                .Add("array", new[] { 1, 2 }).Add("json", JsonDocument.Parse("\"text\"").RootElement),
        });

        Assert.Equal(
            [3d, 4d, 1.25, 0.1, 7d, "c", "v", 2d, "text"],
            new[] { "int", "long", "decimal", "float", "byte", "char", "strings.k", "array[1]", "json" }
                .Select(path => Evaluate("variables." + path, scope)));
    }

    [Fact]
    public void Undefined_is_a_singleton_that_prints_as_undefined()
    {
        Assert.Equal((true, "undefined"), (ReferenceEquals(Undefined.Value, Evaluate("variables.nope", TestScope.Create())), Undefined.Value.ToString()));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0, false)]
    [InlineData(0.0, false)]
    [InlineData(double.NaN, false)]
    [InlineData("", false)]
    [InlineData(false, false)]
    [InlineData(1, true)]
    [InlineData(-0.5, true)]
    [InlineData("false", true)]
    [InlineData("0", true)]
    [InlineData(true, true)]
    public void IsTruthy_follows_JavaScript(object? value, bool expected)
    {
        Assert.Equal(expected, Expression.IsTruthy(value));
    }

    [Fact]
    public void IsTruthy_treats_undefined_as_falsy_and_empty_lists_and_objects_as_truthy()
    {
        Assert.Equal(
            [false, true, true, true, false],
            new[]
            {
                Expression.IsTruthy(Undefined.Value),
                Expression.IsTruthy(new List<object?>()),
                Expression.IsTruthy(new Dictionary<string, object?>()),
                Expression.IsTruthy(JsonDocument.Parse("[]").RootElement),
                Expression.IsTruthy(JsonDocument.Parse("0").RootElement),
            });
    }

    [Fact]
    public void A_condition_on_an_unset_variable_is_false_rather_than_an_error()
    {
        var ok = Parse("variables.deployStaging === true").TryEvaluate(TestScope.Create(), out var value, out var error);

        Assert.Equal((true, false, null), (ok, Expression.IsTruthy(value), error));
    }

    [Fact]
    public void Comparing_a_self_referencing_scope_value_fails_the_evaluation_instead_of_the_process()
    {
        var loop = new Dictionary<string, object?>();
        loop["self"] = loop;
        var other = new Dictionary<string, object?>();
        other["self"] = other;
        var scope = new DictionaryScope(new Dictionary<string, object?> { ["variables"] = new Dictionary<string, object?> { ["a"] = loop, ["b"] = other } });

        var ok = Parse("variables.a === variables.b").TryEvaluate(scope, out _, out var error);

        Assert.Equal((false, true), (ok, error?.Contains("nested more than", StringComparison.Ordinal)));
    }

    private static object? Evaluate(string text, IExpressionScope scope) => Evaluate(Parse(text), scope);

    private static object? Evaluate(Expression expression, IExpressionScope scope) =>
        expression.TryEvaluate(scope, out var value, out var error) ? value : throw new InvalidOperationException(error);
}
