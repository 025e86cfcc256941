using System.Globalization;
using System.Text;

namespace Flowline.Reporting;

/// <summary>
/// The Markdown summary of a run (issue 16, docs/reports.md "Markdown summary"), for a CI job's summary page: the
/// status and duration, a table of steps with status and time (and tokens for agent steps), then the first lines of
/// each failure. Written from the same <see cref="WorkflowResult"/> as the JSON report.
/// </summary>
internal static class MarkdownReport
{
    private const int FailureLines = 12;

    public static string Write(WorkflowDefinition workflow, WorkflowResult result)
    {
        workflow = ReportSteps.Expand(workflow, result);
        var text = new StringBuilder();
        var counts = new int[Enum.GetValues<StepStatus>().Length];
        foreach (var step in workflow.Steps)
        {
            counts[(int)(result.StepResults.TryGetValue(step.Id, out var r) ? r.Status : StepStatus.Pending)]++;
        }

        text.Append(CultureInfo.InvariantCulture, $"## {Mark(result.Status)} {Cell(workflow.Name)} {Cell(workflow.Version)}: {SummaryReport.Name(result.Status)}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Duration:** {Durations.Format(result.ExecutionTime)} · **Steps:** {workflow.Steps.Count} total, ")
            .Append(CultureInfo.InvariantCulture, $"{counts[(int)StepStatus.Completed]} completed, {counts[(int)StepStatus.Failed]} failed, ")
            .Append(CultureInfo.InvariantCulture, $"{counts[(int)StepStatus.Skipped]} skipped, {counts[(int)StepStatus.Cancelled]} cancelled");
        var tokens = TokenUsage.Of(result);
        if (tokens.Steps > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · **Tokens:** {tokens.InputTokens} in, {tokens.OutputTokens} out, {tokens.TotalTokens} total");
        }

        text.Append("\n\n");
        if (result.Error is not null)
        {
            text.Append("> ").Append(Cell(result.Error)).Append("\n\n");
        }

        text.Append(tokens.Steps > 0 ? "| Step | Status | Time | Tokens |\n| --- | --- | ---: | ---: |\n" : "| Step | Status | Time |\n| --- | --- | ---: |\n");
        foreach (var step in workflow.Steps)
        {
            var r = result.StepResults.GetValueOrDefault(step.Id);
            var status = r?.Status ?? StepStatus.Pending;
            text.Append(CultureInfo.InvariantCulture, $"| `{Code(step.Id)}` | {Mark(status)} {SummaryReport.Name(status)} | ");
            text.Append(r is { Attempts: > 0 } ? Durations.Format(r.ExecutionTime) : "");
            if (tokens.Steps > 0)
            {
                var used = r is null ? default : TokenUsage.OfStep(r);
                text.Append(" | ").Append(used.Steps > 0 ? used.TotalTokens.ToString(CultureInfo.InvariantCulture) : "");
            }

            text.Append(" |\n");
        }

        var failed = workflow.Steps.Where(s => result.StepResults.GetValueOrDefault(s.Id)?.Status == StepStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            text.Append("\n### Failures\n");
            foreach (var step in failed)
            {
                var lines = ReportText.Head(ReportText.Failure(result.StepResults[step.Id], FailureLines), FailureLines);
                var fence = Fence(lines);
                text.Append(CultureInfo.InvariantCulture, $"\n**`{Code(step.Id)}`**\n\n{fence}text\n{lines}\n{fence}\n");
            }
        }

        return text.ToString();
    }

    private static string Mark(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Completed => "✅",
        WorkflowStatus.Cancelled => "⏹️",
        WorkflowStatus.Running or WorkflowStatus.Pending => "⏳",
        _ => "❌",
    };

    private static string Mark(StepStatus status) => status switch
    {
        StepStatus.Completed => "✅",
        StepStatus.Failed => "❌",
        StepStatus.Cancelled => "⏹️",
        StepStatus.Skipped => "⏭️",
        _ => "⏳",
    };

    // A table cell is one line, and a pipe would end it.
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    private static string Code(string text) => Cell(text).Replace("`", "'", StringComparison.Ordinal);

    // A fence longer than any run of backticks in the quoted text, so the text cannot close it.
    private static string Fence(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new string('`', Math.Max(3, longest + 1));
    }
}
