using System.Diagnostics;
using System.Text.Json;
using Flowline.Cli.Commands;

namespace Flowline.Cli.Tests;

/// <summary>
/// Where <c>--report-json</c> writes (issue 18, items 1 and 4; docs/reports.md "Writing the report file"): a regular
/// file is replaced atomically through an unpredictable temporary name; a FIFO or a device is written, never replaced;
/// a link is written through; a path that cannot take the report is refused before the first step, with exit 2.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReportFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_fifo_receives_the_report_and_stays_a_fifo()
    {
        var fifo = _dir.File("report.fifo");
        Run("mkfifo", fifo);
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var run = await CliRunner.RunAsync("run", Workflow(), "--report-json", fifo);

        // Had the CLI never opened the FIFO, this open ends the reader (empty) instead of the test hanging.
        if (!reader.IsCompleted)
        {
            await File.WriteAllTextAsync(fifo, "");
        }

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var report = JsonDocument.Parse(await reader);
        Assert.Equal("completed", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(FileKind.Special, FileKinds.Of(fifo));
    }

    [Fact]
    public async Task A_link_at_the_path_stays_a_link_and_the_file_it_points_at_receives_the_report()
    {
        var target = _dir.Write("target.json", "old");
        var link = _dir.File("report.json");
        File.CreateSymbolicLink(link, target);

        var run = await CliRunner.RunAsync("run", Workflow(), "--report-json", link);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        using var report = JsonDocument.Parse(File.ReadAllText(target));
        Assert.Equal("completed", report.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Links_planted_at_predictable_temporary_names_are_not_followed()
    {
        var victim = _dir.Write("victim", "untouched");
        var report = _dir.File("report.json");
        string[] planted = [report + ".tmp", _dir.File(".report.json.tmp"), _dir.File("report.json~"), _dir.File(".report.json.swp")];
        foreach (var name in planted)
        {
            File.CreateSymbolicLink(name, victim);
        }

        var run = await CliRunner.RunAsync("run", Workflow(), "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.All(planted, name => Assert.Equal(victim, new FileInfo(name).LinkTarget));
        Assert.Equal(FileKind.Regular, FileKinds.Of(report));
        Assert.Null(new FileInfo(report).LinkTarget);
        string[] expected = [.. planted.Select(name => Path.GetFileName(name)), "report.json", "victim", "workflow.yaml"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(_dir.Path).Select(name => Path.GetFileName(name)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_report_replaces_an_earlier_one_and_keeps_its_permissions()
    {
        var report = _dir.Write("report.json", "earlier");
        File.SetUnixFileMode(report, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var run = await CliRunner.RunAsync("run", Workflow(), "--report-json", report);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
    }

    [Fact]
    public async Task A_full_device_fails_the_command_with_a_message_and_stays_a_device()
    {
        Assert.Equal(FileKind.Special, FileKinds.Of("/dev/full"));
        using var cli = FlowlineProcess.Start("run", Workflow(), "--report-json", "/dev/full");

        var exitCode = await cli.WaitForExitAsync();

        Assert.True(exitCode == ExitCodes.WorkflowFailed, cli.Stderr + cli.Stdout);
        Assert.Contains("error: could not write the report to '/dev/full'", cli.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Stderr, StringComparison.Ordinal);
        Assert.Equal(FileKind.Special, FileKinds.Of("/dev/full"));
    }

    [Fact]
    public async Task A_report_path_in_a_missing_folder_is_refused_before_the_first_step()
    {
        var marker = _dir.File("ran");
        var file = _dir.Write("workflow.yaml", Workflows.Of("Touch", "", Workflows.Sh("touch", $"touch '{marker}'")));
        var report = _dir.File(Path.Combine("missing", "report.json"));

        var run = await CliRunner.RunAsync("run", file, "--report-json", report);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"error: --report-json '{report}': the folder '{_dir.File("missing")}' does not exist", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the step ran although the report could not be written");
    }

    [Fact]
    public async Task A_report_path_that_is_a_folder_is_refused_before_the_first_step()
    {
        var run = await CliRunner.RunAsync("run", Workflow(), "--report-json", _dir.Path);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("is a folder; give the path of a file in it", run.Stderr, StringComparison.Ordinal);
    }

    private string Workflow() => _dir.Write("workflow.yaml", Workflows.Of("Report", "", Workflows.Sh("hello", "echo hello")));

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(command, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
