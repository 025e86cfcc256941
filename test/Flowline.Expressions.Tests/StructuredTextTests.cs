namespace Flowline.Expressions.Tests;

/// <summary><see cref="IStructuredText"/>: text everywhere, fields only through a member or index read (issue 4 step outputs).</summary>
public sealed class StructuredTextTests
{
    private static readonly DictionaryScope Scope = new(new Dictionary<string, object?>
    {
        ["steps"] = new Dictionary<string, object?>
        {
            ["test"] = new Dictionary<string, object?>
            {
                ["output"] = new Output("3 passed", new Dictionary<string, object?> { ["summary"] = "all green", ["count"] = 3 }),
            },
        },
    });

    private static object? Evaluate(string text)
    {
        Assert.True(Expression.TryParse(text, out var expression, out var error), error?.Message);
        Assert.True(expression.TryEvaluate(Scope, out var value, out var failure), failure);
        return value;
    }

    private static string Render(string text)
    {
        Assert.True(Template.TryParse(text, out var template, out var error), error?.Message);
        Assert.True(template.TryRender(Scope, null, out var rendered, out var failure), failure);
        return rendered;
    }

    [Fact]
    public void The_value_renders_as_its_text()
    {
        Assert.Equal("out: 3 passed", Render("out: {{ steps.test.output }}"));
    }

    [Fact]
    public void A_member_read_reaches_a_field()
    {
        Assert.Equal("all green / 3", Render("{{ steps.test.output.summary }} / {{ steps.test.output['count'] }}"));
    }

    [Fact]
    public void Comparisons_and_functions_see_the_text()
    {
        Assert.Equal(true, Evaluate("steps.test.output === '3 passed'"));
        Assert.Equal(true, Evaluate("contains(steps.test.output, 'passed')"));
        Assert.Equal("3 PASSED", Evaluate("upper(steps.test.output)"));
    }

    [Fact]
    public void A_name_that_is_not_a_field_is_read_from_the_text()
    {
        Assert.Equal(8d, Evaluate("steps.test.output.length"));
        Assert.Same(Undefined.Value, Evaluate("steps.test.output.missing"));
    }

    [Fact]
    public void Inside_a_containing_object_it_is_written_as_text()
    {
        Assert.Equal("""{"output":"3 passed"}""", Render("{{ steps.test }}"));
    }

    private sealed class Output(string text, IReadOnlyDictionary<string, object?> fields) : IStructuredText
    {
        public string Text { get; } = text;

        public bool TryGetField(string name, out object? value) => fields.TryGetValue(name, out value);
    }
}
