using System.Text.Json;
using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

public sealed class TemplateApiTests
{
    private static Template Parse(string text) =>
        Template.TryParse(text, out var template, out var error) ? template : throw new InvalidOperationException(error.Message);

    [Fact]
    public void A_template_without_holes_is_literal_and_renders_as_the_same_string_instance()
    {
        var text = string.Concat("plain ", "text } {");
        var template = Parse(text);

        Assert.True(template.TryRender(TestScope.Create(), null, out var rendered, out _));
        Assert.Equal((true, true), (template.IsLiteral, ReferenceEquals(text, rendered)));
    }

    [Fact]
    public void A_template_with_a_hole_is_not_literal()
    {
        Assert.False(Parse("a {{ b }}").IsLiteral);
    }

    [Theory]
    [InlineData("plain", false)]
    [InlineData("one { brace", false)]
    [InlineData("a {{ b }}", true)]
    [InlineData("unclosed {{", true)]
    public void ContainsTemplate_looks_for_an_opening_pair_of_braces(string text, bool expected)
    {
        Assert.Equal(expected, Template.ContainsTemplate(text));
    }

    [Fact]
    public void References_from_every_hole_point_into_the_template_text()
    {
        var template = Parse("Build {{variables.buildNumber}} tests {{ steps.run-tests.output.summary }}");

        Assert.Equal(
            ["variables.buildNumber@8", "steps.run-tests.output.summary@41"],
            template.References.Select(r => $"{r}@{r.Position}"));
    }

    [Fact]
    public void FunctionsUsed_collects_across_holes()
    {
        Assert.Equal(["upper", "join"], Parse("{{ upper(a) }} {{ join(b) }} {{ upper(c) }}").FunctionsUsed);
    }

    [Fact]
    public void Rendering_with_AllowUndefined_keeps_defined_holes()
    {
        var template = Parse("{{ variables.gitCommit }}:{{ variables.branch }}:{{ variables.nothing }}");

        Assert.True(template.TryRender(TestScope.Create(), new TemplateRenderOptions { AllowUndefined = true }, out var text, out var error), error);
        Assert.Equal("abc123::", text);
    }

    [Fact]
    public void Rendering_the_spec_prompt_fills_every_hole()
    {
        var template = Parse("Build {{variables.buildNumber}} completed successfully.\nCommit: {{variables.gitCommit}}\nTest results: {{steps.run-tests.output.summary}}\n");

        Assert.True(template.TryRender(TestScope.Create(), null, out var text, out var error), error);
        Assert.Equal("Build 42 completed successfully.\nCommit: abc123\nTest results: 12 passed, 1 failed\n", text);
    }

    [Fact]
    public void The_undefined_message_names_the_path_and_the_fix()
    {
        Assert.True(Parse("git checkout {{variables.branch}}").TryRender(TestScope.Create(), null, out _, out var error) is false);

        Assert.Equal("variables.branch is not defined: pass --var branch=… or write {{ variables.branch || 'default' }}", error);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("text", "text")]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    [InlineData(42, "42")]
    [InlineData(42L, "42")]
    [InlineData(2.50, "2.5")]
    [InlineData(-0.0, "0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void ValueFormatter_renders_scalars(object? value, string expected)
    {
        Assert.Equal(expected, ValueFormatter.Render(value));
    }

    [Fact]
    public void ValueFormatter_renders_undefined_as_empty()
    {
        Assert.Equal("", ValueFormatter.Render(Undefined.Value));
    }

    [Fact]
    public void ValueFormatter_renders_lists_and_objects_as_compact_json_keeping_null_and_dropping_undefined()
    {
        var value = new Dictionary<string, object?>
        {
            ["list"] = new List<object?> { 1, "two", null, Undefined.Value, true },
            ["gone"] = Undefined.Value,
            ["text"] = "it's <b>é</b>",
            ["nan"] = double.NaN,
        };

        Assert.Equal("""{"list":[1,"two",null,null,true],"text":"it's <b>é</b>","nan":null}""", ValueFormatter.Render(value));
    }

    [Fact]
    public void ValueFormatter_renders_json_elements()
    {
        using var document = JsonDocument.Parse("""{ "a" : [1, 2.5, "x"], "b": null }""");

        Assert.Equal(
            ["""{"a":[1,2.5,"x"],"b":null}""", "x", "2.5", ""],
            new[] { document.RootElement, document.RootElement.GetProperty("a")[2], document.RootElement.GetProperty("a")[1], document.RootElement.GetProperty("b") }
                .Select(e => ValueFormatter.Render(e)));
    }
}
