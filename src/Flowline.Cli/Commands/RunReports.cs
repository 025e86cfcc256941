namespace Flowline.Cli.Commands;

/// <summary>
/// The report files one run writes, each from the same <see cref="WorkflowResult"/> through the runner's
/// <c>Generate*Report</c> and written by <see cref="ReportFile"/> (issue 16): checked before the first step, written
/// once the run ends, for every run that passed validation.
/// </summary>
internal sealed record RunReports(string? Json, string? Junit, string? Markdown, string? StepSummary)
{
    public static RunReports None { get; } = new(null, null, null, null);

    /// <summary>Writes an error and returns false when a report path cannot take its report (see <see cref="ReportFile.CheckAsync"/>).</summary>
    public async Task<bool> CheckAsync(CliConsole console) =>
        (Json is null || await ReportFile.CheckAsync("--report-json", Json, console))
        && (Junit is null || await ReportFile.CheckAsync("--report-junit", Junit, console))
        && (Markdown is null || await ReportFile.CheckAsync("--report-markdown", Markdown, console));

    /// <summary>
    /// Writes every report asked for; false when one could not be written (its error is written). The step summary
    /// is the CI's page, not the user's file: failing to append to it is a warning only.
    /// </summary>
    public async Task<bool> WriteAsync(WorkflowRunner runner, WorkflowDefinition workflow, WorkflowResult result, CliConsole console)
    {
        var written = true;
        if (Json is not null)
        {
            written &= await ReportFile.TryWriteAsync(Json, runner.GenerateDetailedReport(workflow, result), console);
        }

        if (Junit is not null)
        {
            written &= await ReportFile.TryWriteAsync(Junit, runner.GenerateJunitReport(workflow, result), console);
        }

        string? markdown = null;
        if (Markdown is not null)
        {
            markdown = runner.GenerateMarkdownReport(workflow, result);
            written &= await ReportFile.TryWriteAsync(Markdown, markdown, console);
        }

        if (StepSummary is not null)
        {
            await ReportFile.TryAppendAsync(StepSummary, (markdown ?? runner.GenerateMarkdownReport(workflow, result)) + "\n", console);
        }

        return written;
    }
}
