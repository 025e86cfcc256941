using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

/// <summary>Every problem of a template at once (issue 19, docs/diagnostics.md): each broken hole, each undefined part.</summary>
public sealed class TemplateEveryProblemTests
{
    [Fact]
    public void ParseEvery_reports_each_broken_hole_at_its_own_position()
    {
        const string text = "{{ nosuch(1) }} and {{ a = b }} and {{ }} and {{ variables.ok }}";

        var errors = Template.ParseEvery(text, out _);

        Assert.Equal(
            [(ErrorCodes.UnknownFunction, 3), (ErrorCodes.Syntax, 25), (ErrorCodes.Template, 36)],
            errors.Select(e => (e.Code, e.Position)));
    }

    [Fact]
    public void ParseEvery_keeps_the_references_of_the_holes_that_parse()
    {
        var errors = Template.ParseEvery("{{ missing1 }} and {{ nosuch(1) }} and {{ variables.missing2 }}", out var references);

        Assert.Single(errors);
        Assert.Equal(["missing1@3", "variables.missing2@42"], references.Select(r => $"{r}@{r.Position}"));
    }

    [Fact]
    public void ParseEvery_stops_at_a_hole_that_is_never_closed_and_TryParse_still_reports_the_first_error()
    {
        const string text = "{{ nosuch(1) }} then {{ variables.a";

        var errors = Template.ParseEvery(text, out _);

        Assert.Equal([ErrorCodes.UnknownFunction, ErrorCodes.Template], errors.Select(e => e.Code));
        Assert.False(Template.TryParse(text, out _, out var first));
        Assert.Equal(errors[0], first);
    }

    [Fact]
    public void ParseEvery_of_a_valid_template_has_no_errors()
    {
        Assert.Empty(Template.ParseEvery("{{ variables.a }} {{ upper('b') }}", out var references));
        Assert.Single(references);
    }

    [Fact]
    public void A_failed_render_names_every_undefined_reference_in_one_message()
    {
        Assert.True(Template.TryParse("{{ variables.missing1 }} and {{ variables.buildNumber }} and {{ variables.missing2 }}", out var template, out _));

        Assert.False(template.TryRender(TestScope.Create(), null, out var text, out var error));

        Assert.Null(text);
        Assert.Equal(
            "2 parts cannot be rendered: (1) variables.missing1 is not defined: pass --var missing1=… or write {{ variables.missing1 || 'default' }}; "
            + "(2) variables.missing2 is not defined: pass --var missing2=… or write {{ variables.missing2 || 'default' }}",
            error);
    }

    [Fact]
    public void A_failed_render_lists_evaluation_errors_beside_undefined_references()
    {
        Assert.True(Template.TryParse("{{ upper(variables.list) }} {{ variables.missing }}", out var template, out _));

        Assert.False(template.TryRender(TestScope.Create(), null, out _, out var error));

        Assert.StartsWith("2 parts cannot be rendered: (1) {{ upper(variables.list) }} at position 0: ", error, StringComparison.Ordinal);
        Assert.Contains("; (2) variables.missing is not defined", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_with_many_failures_lists_ten_and_counts_the_rest()
    {
        var text = string.Concat(Enumerable.Range(0, 12).Select(i => $"{{{{ variables.m{i} }}}} "));
        Assert.True(Template.TryParse(text, out var template, out _));

        Assert.False(template.TryRender(TestScope.Create(), null, out _, out var error));

        Assert.StartsWith("12 parts cannot be rendered: (1) variables.m0 is not defined", error, StringComparison.Ordinal);
        Assert.Contains("(10) variables.m9 is not defined", error, StringComparison.Ordinal);
        Assert.DoesNotContain("variables.m10", error, StringComparison.Ordinal);
        Assert.EndsWith("; and 2 more", error, StringComparison.Ordinal);
    }
}
