using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

public sealed class TemplateCaseTests
{
    public static TheoryData<string, string> Templates => CaseFile.Load("templates.txt");

    public static TheoryData<string, string> TemplatesAllowingUndefined => CaseFile.Load("templates-allow-undefined.txt");

    public static TheoryData<string, string> TemplateErrors => CaseFile.Load("template-errors.txt");

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_renders_the_expected_text(string input, string expected) =>
        AssertRenders(input, expected, TemplateRenderOptions.Default);

    [Theory]
    [MemberData(nameof(TemplatesAllowingUndefined))]
    public void Template_with_AllowUndefined_renders_undefined_as_empty(string input, string expected) =>
        AssertRenders(input, expected, new TemplateRenderOptions { AllowUndefined = true });

    [Theory]
    [MemberData(nameof(TemplateErrors))]
    public void Invalid_template_is_reported_with_its_position(string input, string expected)
    {
        var colon = expected.IndexOf(':', StringComparison.Ordinal);
        var position = int.Parse(expected[..colon], System.Globalization.CultureInfo.InvariantCulture);
        var message = expected[(colon + 1)..].Trim();

        Assert.False(Template.TryParse(input, out _, out var error), "the template parsed");

        Assert.True(
            error.Position == position && error.Message.Contains(message, StringComparison.Ordinal),
            $"expected {position}: …{message}… but got {error.Position}: {error.Message}");
    }

    private static void AssertRenders(string input, string expected, TemplateRenderOptions options)
    {
        Assert.True(Template.TryParse(input, out var template, out var parseError), parseError?.Message);

        var ok = template.TryRender(TestScope.Create(), options, out var text, out var error);

        if (expected.StartsWith("error:", StringComparison.Ordinal))
        {
            Assert.False(ok, $"expected an error but rendered '{text}'");
            Assert.Contains(expected["error:".Length..].Trim(), error, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(ok, error);
            Assert.Equal(expected, text);
        }
    }
}
