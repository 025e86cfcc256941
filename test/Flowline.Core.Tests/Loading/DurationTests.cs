using System.Globalization;
using Flowline.Loading;

namespace Flowline.Core.Tests.Loading;

public sealed class DurationTests
{
    public static TheoryData<string, string> Cases() => Support.CaseFile.Read("Loading", "Cases", "durations.txt");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Duration_string_parses_as_the_table_says(string input, string expected)
    {
        var parsed = Durations.TryParse(input, out var duration);

        if (expected == "error")
        {
            Assert.False(parsed);
        }
        else
        {
            Assert.True(parsed);
            Assert.Equal(TimeSpan.FromMilliseconds(long.Parse(expected, CultureInfo.InvariantCulture)), duration);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Duration_string_as_a_step_timeout_loads_as_the_table_says(string input, string expected)
    {
        var text = $$"""
            name: Durations
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config: { command: echo, timeout: "{{input}}" }
            """;

        var result = WorkflowLoader.Parse(text, "durations.yaml");

        if (expected == "error")
        {
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticCodes.InvalidDuration, error.Code);
            Assert.Equal(new SourceLocation("durations.yaml", 7, 39), error.Location);
            Assert.Contains("1h30m", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(result.Diagnostics);
            var config = Assert.IsType<ScriptStepConfig>(result.Definition!.Steps[0].Config);
            Assert.Equal(TimeSpan.FromMilliseconds(long.Parse(expected, CultureInfo.InvariantCulture)), config.Timeout);
        }
    }

    [Theory]
    [InlineData("300000", 300_000)]
    [InlineData("1", 1)]
    [InlineData("0x10", 16)]
    public void Integer_timeouts_are_milliseconds(string yaml, long milliseconds)
    {
        var text = $"name: T\nversion: 1.0.0\ntimeout: {yaml}\nsteps: [{{ id: a, name: A, type: script, config: {{ command: echo }} }}]";

        var result = WorkflowLoader.Parse(text, "ms.yaml");

        // Under a second without a unit is probably meant as seconds: a warning, and still milliseconds (issue 18).
        Assert.Equal(milliseconds < 1000 ? [DiagnosticCodes.TimeoutWithoutUnit] : [], result.Diagnostics.Select(static d => d.Code));
        Assert.All(result.Diagnostics, static d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), result.Definition!.Timeout);
    }

    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(450, "450ms")]
    [InlineData(999, "999ms")]
    [InlineData(2_000, "2s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(1_234, "1.23s")]
    [InlineData(60_000, "1m")]
    [InlineData(90_000, "1m30s")]
    [InlineData(90_500, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(7_500_000, "2h5m")]
    [InlineData(90_000_000, "25h")]
    [InlineData(-5, "0ms")]
    public void Format_prints_the_short_form_people_read(long milliseconds, string expected)
    {
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Every_short_form_that_drops_nothing_parses_back_to_the_same_duration()
    {
        foreach (var milliseconds in new long[] { 450, 2_000, 60_000, 90_000, 3_600_000, 7_500_000 })
        {
            var duration = TimeSpan.FromMilliseconds(milliseconds);

            Assert.True(Durations.TryParse(Durations.Format(duration), out var parsed), Durations.Format(duration));
            Assert.Equal(duration, parsed);
        }
    }
}
