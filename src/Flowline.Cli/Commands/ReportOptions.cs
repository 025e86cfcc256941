using System.CommandLine;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>--report-json</c>, <c>--report-junit</c> and <c>--report-markdown</c> of <c>flowline run</c> and
/// <c>flowline resume</c> (docs/reports.md), plus <c>GITHUB_STEP_SUMMARY</c>, which receives the Markdown summary
/// without any flag (issue 16).
/// </summary>
internal sealed class ReportOptions
{
    /// <summary>GitHub Actions names the job's summary file in this variable; the Markdown summary is appended to it.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    private readonly Option<string?> _json = new("--report-json") { Description = "Write the detailed JSON report to this path." };
    private readonly Option<string?> _junit = new("--report-junit") { Description = "Write a JUnit XML report (one test case per step) to this path, for CI test views." };
    private readonly Option<string?> _markdown = new("--report-markdown") { Description = "Write a Markdown summary of the run to this path (also appended to $GITHUB_STEP_SUMMARY when set)." };

    private ReportOptions()
    {
    }

    public static ReportOptions AddTo(Command command)
    {
        var options = new ReportOptions();
        command.Options.Add(options._json);
        command.Options.Add(options._junit);
        command.Options.Add(options._markdown);
        return options;
    }

    public RunReports Get(ParseResult parseResult) =>
        new(parseResult.GetValue(_json), parseResult.GetValue(_junit), parseResult.GetValue(_markdown), StepSummary());

    /// <summary>The step summary file when <see cref="StepSummaryVariable"/> names one.</summary>
    public static string? StepSummary() =>
        Environment.GetEnvironmentVariable(StepSummaryVariable) is { Length: > 0 } path ? path : null;
}
