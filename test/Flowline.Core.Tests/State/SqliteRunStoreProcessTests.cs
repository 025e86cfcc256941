using System.Diagnostics;
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
                Assert.Equal(Steps, (await store.GetStepsAsync(run.Id)).Count(step => step.Status == StepRunStatus.Completed));
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

    private Process Start(string prefix)
    {
        var dummy = Path.Combine(AppContext.BaseDirectory, "Flowline.StateWriter.Dummy.dll");
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dummy, _folder.StateDirectory.Path, prefix, Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), Steps.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The dummy writer did not start.");
        _processes.Add(process);
        return process;
    }
}
