using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// A state folder on a disk that fills up during the run (issue 18, item 2; docs/state.md "Store failures during a
/// run"): the logs and the run store stop with a warning, the run goes on, its dependents run and its report is
/// written. Runs on the small tmpfs <c>.ci/run</c> mounts; the step's own output fills it.
/// </summary>
public sealed class FullDiskTests
{
    [FullDiskFact]
    public async Task A_disk_filled_by_a_steps_log_stops_the_recording_not_the_run()
    {
        var mount = FullDiskFactAttribute.Mount ?? throw new InvalidOperationException(
            $"{FullDiskFactAttribute.Variable} is not set although CI=true: .ci/run mounts the tmpfs this test fills.");
        var state = Path.Combine(mount, "state-" + Guid.NewGuid().ToString("N"));
        using var dir = new TempDir();
        var marker = dir.File("after-ran");
        var report = dir.File("report.json");
        var file = dir.Write("fill.yaml", Workflows.Of(
            "Fill",
            "",
            Workflows.Sh("noise", "yes 'a line of output that fills the disk of the state folder' | head -c 8000000"),
            Workflows.Sh("after", $"touch '{marker}'", ["noise"])));
        try
        {
            using var cli = FlowlineProcess.Start("run", file, "--state-dir", state, "--report-json", report);

            var exitCode = await cli.WaitForExitAsync();

            Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{cli.Stderr}");
            Assert.True(File.Exists(marker), "the dependent step did not run\n" + cli.Stderr);
            Assert.Contains("warning:", cli.Stderr, StringComparison.Ordinal);
            Assert.Contains("flowline runs prune", cli.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", cli.Stderr, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(File.ReadAllText(report));
            Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        }
        finally
        {
            // Only this test writes here; emptying its folder frees the mount for the next run, whatever the order.
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }
}
