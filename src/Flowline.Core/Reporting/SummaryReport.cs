using System.Globalization;
using System.Text;
using Flowline.Scheduling;

namespace Flowline.Reporting;

/// <summary>The human summary of a run (spec "Reports"): stable line shapes the CLI and tests can rely on.</summary>
internal static class SummaryReport
{
    public static string Write(WorkflowDefinition workflow, WorkflowResult result)
    {
        workflow = ReportSteps.Expand(workflow, result);
        var text = new StringBuilder();
        var counts = new int[Enum.GetValues<StepStatus>().Length];
        foreach (var step in workflow.Steps)
        {
            counts[(int)(result.StepResults.TryGetValue(step.Id, out var r) ? r.Status : StepStatus.Pending)]++;
        }

        text.Append(CultureInfo.InvariantCulture, $"Workflow: {workflow.Name} {workflow.Version}\n");
        text.Append(CultureInfo.InvariantCulture, $"Status: {Name(result.Status)}\n");
        text.Append(CultureInfo.InvariantCulture, $"Duration: {Durations.Format(result.ExecutionTime)}\n");
        if (result.Error is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Error: {result.Error}\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"Steps: {workflow.Steps.Count} total, {counts[(int)StepStatus.Completed]} completed, {counts[(int)StepStatus.Failed]} failed, " +
            $"{counts[(int)StepStatus.Skipped]} skipped, {counts[(int)StepStatus.Cancelled]} cancelled\n");

        var width = 0;
        foreach (var step in workflow.Steps)
        {
            width = Math.Max(width, step.Id.Length);
        }

        foreach (var step in workflow.Steps)
        {
            text.Append("  ").Append(step.Id.PadRight(width));
            if (!result.StepResults.TryGetValue(step.Id, out var r))
            {
                text.Append("  pending\n");
                continue;
            }

            text.Append("  ").Append(Name(r.Status).PadRight(9));
            if (r.Attempts > 0)
            {
                text.Append("  ").Append(Durations.Format(r.ExecutionTime));
                if (r.Attempts > 1)
                {
                    text.Append(CultureInfo.InvariantCulture, $" ({r.Attempts} attempts)");
                }
            }

            var note = r.Status switch
            {
                StepStatus.Skipped => r.SkipReason,
                StepStatus.Completed => r.Cache?.Reason,
                _ => r.Error,
            };
            if (note is not null)
            {
                text.Append("  ").Append(note.ReplaceLineEndings(" "));
            }

            text.Append('\n');
        }

        var stats = result.ParallelStats;
        text.Append(CultureInfo.InvariantCulture, $"Parallel: {stats.TotalGroups} groups, max {stats.MaxConcurrentSteps} concurrent steps\n");
        var tokens = TokenUsage.Of(result);
        if (tokens.Steps > 0)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"Tokens: {tokens.InputTokens} in, {tokens.OutputTokens} out, {tokens.TotalTokens} total ({tokens.Steps} agent step{(tokens.Steps == 1 ? "" : "s")})\n");
        }

        if (stats.ResourceUtilization.Count > 0)
        {
            text.Append("Resources:");
            var first = true;
            foreach (var (name, utilization) in stats.ResourceUtilization)
            {
                text.Append(first ? " " : ", ").Append(CultureInfo.InvariantCulture, $"{name} {utilization * 100:0.0}%");
                first = false;
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    internal static string Name(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Pending => "pending",
        WorkflowStatus.Running => "running",
        WorkflowStatus.Completed => "completed",
        WorkflowStatus.Failed => "failed",
        _ => "cancelled",
    };

    internal static string Name(StepStatus status) => status switch
    {
        StepStatus.Pending => "pending",
        StepStatus.Running => "running",
        StepStatus.Completed => "completed",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        _ => "cancelled",
    };
}
