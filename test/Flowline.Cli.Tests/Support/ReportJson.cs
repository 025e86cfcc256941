using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>Reads what a <c>--report-json</c> file says.</summary>
internal static class ReportJson
{
    /// <summary>The report's <c>stepResults</c> object, keyed by step id in the report's order.</summary>
    public static JsonElement StepResults(string reportPath)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        return report.RootElement.GetProperty("stepResults").Clone();
    }
}
