using Flowline.Reporting;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    /// <summary>A human-readable summary: status, duration, one line per step, parallel statistics.</summary>
    public string GenerateSummaryReport(WorkflowDefinition workflow, WorkflowResult result)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(result);
        return SummaryReport.Write(ReportedWorkflow.Of(workflow, result), result);
    }

    /// <summary>The run as indented camelCase JSON; the format is documented in docs/reports.md.</summary>
    public string GenerateDetailedReport(WorkflowDefinition workflow, WorkflowResult result)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(result);
        return DetailedReport.Write(ReportedWorkflow.Of(workflow, result), result);
    }

    /// <summary>
    /// The run as JUnit XML: one test suite for the run, one test case per step with its time; failed steps are
    /// failures with the error and the tail of stderr, skipped and cancelled steps are skipped (docs/reports.md).
    /// </summary>
    public string GenerateJunitReport(WorkflowDefinition workflow, WorkflowResult result)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(result);
        return JunitReport.Write(ReportedWorkflow.Of(workflow, result), result);
    }

    /// <summary>
    /// The run as a Markdown summary: status, duration, a table of steps with status and time (tokens for agent
    /// steps) and the first lines of each failure (docs/reports.md).
    /// </summary>
    public string GenerateMarkdownReport(WorkflowDefinition workflow, WorkflowResult result)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(result);
        return MarkdownReport.Write(ReportedWorkflow.Of(workflow, result), result);
    }
}
