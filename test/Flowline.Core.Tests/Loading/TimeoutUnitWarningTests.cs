namespace Flowline.Core.Tests.Loading;

/// <summary>Issue 18: files written for the TypeScript original give seconds where Flowline reads milliseconds.</summary>
public sealed class TimeoutUnitWarningTests
{
    private static string Workflow(string workflowTimeout, string stepTimeout) => $$"""
        name: units
        version: 1.0.0
        timeout: {{workflowTimeout}}
        steps:
          - id: a
            name: A
            type: script
            config: { command: "true", timeout: {{stepTimeout}} }
        """;

    [Fact]
    public void A_timeout_under_a_second_without_a_unit_is_a_warning_at_the_value()
    {
        var result = WorkflowValidator.ValidateText(Workflow("900", "30"), "units.yaml");

        Assert.True(result.IsValid);
        Assert.Collection(
            result.Diagnostics,
            d => Assert.Equal(
                (DiagnosticCodes.TimeoutWithoutUnit, DiagnosticSeverity.Warning, new SourceLocation("units.yaml", 3, 10), "The workflow 'timeout' is 900 ms; did you mean 900s? A number without a unit is milliseconds. Write '900s' for seconds, or '900ms' to keep milliseconds."),
                (d.Code, d.Severity, d.Location, d.Message)),
            d => Assert.Equal((DiagnosticCodes.TimeoutWithoutUnit, 8), (d.Code, d.Location!.Line)));
    }

    [Theory]
    [InlineData("900ms", "30s")]
    [InlineData("1000", "300000")]
    [InlineData("1s", "2500")]
    public void A_timeout_with_a_unit_or_of_a_second_or_more_draws_no_warning(string workflowTimeout, string stepTimeout)
    {
        var result = WorkflowValidator.ValidateText(Workflow(workflowTimeout, stepTimeout), "units.yaml");

        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }
}
