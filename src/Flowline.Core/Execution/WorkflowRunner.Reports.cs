using Flowline.Reporting;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    /// <summary>A human-readable summary: status, duration, one line per step, parallel statistics.</summary>
    public string GenerateSummaryReport(WorkflowDefinition workflow, WorkflowResult result)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(result);
        return SummaryReport.Write(workflow, result);
    }

    /// <summary>The run as indented camelCase JSON; the format is documented in docs/reports.md.</summary>
    public string GenerateDetailedReport(WorkflowDefinition workflow, WorkflowResult result)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(result);
        return DetailedReport.Write(workflow, result);
    }
}
