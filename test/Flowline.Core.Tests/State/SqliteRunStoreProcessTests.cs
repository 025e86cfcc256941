using System.Diagnostics;
using System.Runtime.Versioning;
using Flowline.State;

namespace Flowline.Core.Tests.State;

/// <summary>The store shared by real processes, each with its own connection (issue #6 "Concurrency").</summary>
public sealed class SqliteRunStoreProcessTests : IDisposable
{
    private const int Runs = 15;
    private const int Steps = 3;

    // A bound on a hung child, not a timing assertion.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly TempFolder _folder = new();
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            process.Dispose();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task Two_processes_recording_runs_into_a_fresh_database_at_once_both_succeed()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var writers = new[] { Start("alpha"), Start("beta") };
        foreach (var writer in writers)
        {
            Assert.Equal("ready", await writer.StandardOutput.ReadLineAsync(timeout.Token));
        }

        foreach (var writer in writers)
        {
            await writer.StandardInput.WriteLineAsync("go");
            await writer.StandardInput.FlushAsync(timeout.Token);
        }

        foreach (var writer in writers)
        {
            var stderr = writer.StandardError.ReadToEndAsync(timeout.Token);
            await writer.WaitForExitAsync(timeout.Token);
            Assert.True(writer.ExitCode == 0, $"The writer failed with exit code {writer.ExitCode}: {await stderr}");
            Assert.True(writer.HasExited);
        }

        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory);
        foreach (var workflow in new[] { "alpha", "beta" })
        {
            var runs = await store.ListRunsAsync(new RunQuery { Workflow = workflow, Limit = 0 });
            Assert.Equal(Runs, runs.Count);
            Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
            foreach (var run in runs)
            {
                Assert.Equal(Steps, (await store.GetStepsAsync(run.Id)).Count(step => step.Status == StepStatus.Completed));
            }
        }
    }

    [Fact]
    public async Task A_process_opening_a_corrupted_database_prints_a_clear_message_and_no_stack_trace()
    {
        Directory.CreateDirectory(_folder.StateDirectory.Path);
        await File.WriteAllTextAsync(_folder.StateDirectory.DatabasePath, "this is not a database, just some text that is long enough to have a header");
        using var timeout = new CancellationTokenSource(Bound);

        var writer = Start("gamma");
        var stderr = await writer.StandardError.ReadToEndAsync(timeout.Token);
        await writer.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, writer.ExitCode);
        Assert.Contains(_folder.StateDirectory.DatabasePath, stderr, StringComparison.Ordinal);
        Assert.Contains("--no-state", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.True(writer.HasExited);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // file modes; Windows read-only attributes would need their own test
    public async Task A_database_file_the_process_may_not_write_gives_a_clear_read_only_error_before_any_run()
    {
        ReadableByAnyone.CreateFolder(_folder.Path);
        await (await SqliteRunStore.OpenAsync(_folder.StateDirectory)).DisposeAsync();
        File.SetUnixFileMode(_folder.StateDirectory.DatabasePath, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(_folder.StateDirectory.Path, ReadAndList);
        using var timeout = new CancellationTokenSource(Bound);

        try
        {
            // chmod does not stop root, so as root the writer runs as 'nobody', for whom the modes hold.
            var writer = Start("delta", asUnprivileged: Environment.IsPrivilegedProcess);
            var stderr = await writer.StandardError.ReadToEndAsync(timeout.Token);
            await writer.WaitForExitAsync(timeout.Token);

            Assert.True(writer.ExitCode == 2, $"Expected exit code 2, got {writer.ExitCode}: {stderr}");
            Assert.Contains("is read-only", stderr, StringComparison.Ordinal);
            Assert.Contains(_folder.StateDirectory.DatabasePath, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(_folder.StateDirectory.Path, ReadAndList | UnixFileMode.UserWrite);
            File.SetUnixFileMode(_folder.StateDirectory.DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private const UnixFileMode ReadAndList =
        UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private Process Start(string prefix, bool asUnprivileged = false)
    {
        var dummy = Path.Combine(AppContext.BaseDirectory, "Flowline.StateWriter.Dummy.dll");
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(asUnprivileged ? "setpriv" : host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUnprivileged && !OperatingSystem.IsWindows())
        {
            // The build output may sit in a folder only its owner can enter (a clone in `mktemp -d` or /root).
            dummy = ReadableByAnyone.CopyApp(dummy, _folder.Combine("writer"));
            start.WorkingDirectory = Path.GetDirectoryName(dummy);
            foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", host })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in new[] { dummy, _folder.StateDirectory.Path, prefix, Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), Steps.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The dummy writer did not start.");
        _processes.Add(process);
        return process;
    }
}
