using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// The named outputs in reports (issue 19): a JSON object on stdout lists its fields, as <c>steps.ID.output.FIELD</c>
/// reads them, unless <c>$FLOWLINE_OUTPUT</c> has values; <c>flowline show --json</c> lists a past run's named outputs.
/// </summary>
public sealed class ReportOutputsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Workflow() => _dir.Write("outputs.yaml", Workflows.Of(
        "outputs",
        "",
        Workflows.Sh("json", """printf '{"summary": "3 passed", "count": 3, "items": [1, 2], "ok": true}\n'"""),
        Workflows.Sh("both", """echo 'summary=from file' >> "$FLOWLINE_OUTPUT"; echo '{"summary": "from stdout"}'"""),
        Workflows.Sh("reader", "echo '{{ steps.json.output.summary }}'", ["json", "both"])));

    private static JsonElement Outputs(JsonDocument report, string stepId) =>
        report.RootElement.GetProperty("stepResults").GetProperty(stepId).GetProperty("outputs");

    [Fact]
    public async Task The_json_report_lists_the_fields_of_a_json_object_on_stdout_as_strings_in_order()
    {
        var report = _dir.File("report.json");

        var run = await CliRunner.RunAsync("run", Workflow(), "--report-json", report, "--no-state");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var outputs = Outputs(json, "json");
        Assert.Equal(["summary", "count", "items", "ok"], outputs.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["3 passed", "3", "[1,2]", "true"], outputs.EnumerateObject().Select(p => p.Value.GetString()));
        Assert.Equal("from file", Assert.Single(Outputs(json, "both").EnumerateObject()).Value.GetString());
        Assert.Empty(Outputs(json, "reader").EnumerateObject());
    }

    [Fact]
    public async Task Show_json_of_a_recorded_run_lists_its_named_outputs()
    {
        var state = _dir.File("state");
        var run = await CliRunner.RunAsync("run", Workflow(), "--state-dir", state);
        var id = run.Stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];

        var show = await CliRunner.RunAsync("show", id, "--json", "--state-dir", state);

        Assert.True(show.ExitCode == 0, show.Stderr);
        using var json = JsonDocument.Parse(show.Stdout);
        Assert.Equal("from file", Outputs(json, "both").GetProperty("summary").GetString());
        Assert.Equal("3 passed", Outputs(json, "json").GetProperty("summary").GetString());
    }
}
