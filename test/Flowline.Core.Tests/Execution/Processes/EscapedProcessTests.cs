using System.Globalization;
using Flowline.Execution.Processes;

namespace Flowline.Core.Tests.Execution.Processes;

/// <summary>
/// Processes that leave the step's process group are terminated when the step ends (issue 18). The test host is no
/// subreaper, so this is the marker level: every process carrying the launch's marker is found in /proc.
/// </summary>
public sealed class EscapedProcessTests : IDisposable
{
    private const int HangGuard = 30_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("flowline-escape-").FullName;

    public static TheoryData<string, string> Escapes => new()
    {
        { nameof(LaunchPath.Spawn), "setsid -f sh -c 'echo $$ > esc.pid; exec sleep 301'" },
        { nameof(LaunchPath.Process), "setsid -f sh -c 'echo $$ > esc.pid; exec sleep 301'" },
        { nameof(LaunchPath.Spawn), "(setsid sh -c 'echo $$ > esc.pid; exec sleep 301' &)" },
        { nameof(LaunchPath.Process), "(setsid sh -c 'echo $$ > esc.pid; exec sleep 301' &)" },
        { nameof(LaunchPath.Spawn), SetpgrpIgnoringTerm },
        { nameof(LaunchPath.Process), SetpgrpIgnoringTerm },
    };

    private const string SetpgrpIgnoringTerm =
        "python3 -c 'import os, signal, time; os.setpgrp(); signal.signal(signal.SIGTERM, signal.SIG_IGN); open(\"esc.pid\", \"w\").write(str(os.getpid())); time.sleep(301)' &";

    public void Dispose()
    {
        var file = Path.Combine(_folder, "esc.pid");
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) && ProcStat.IsAlive(pid))
        {
            _ = LibC.Kill(pid, LibC.SigKill);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Theory(Timeout = HangGuard)]
    [MemberData(nameof(Escapes))]
    public async Task A_process_that_left_the_group_is_gone_when_the_step_ends(string path, string escape)
    {
        var result = await RunAsync(path, escape + "\nuntil [ -s esc.pid ]; do sleep 0.01; done", timeout: null);

        Assert.True(result.Succeeded, result.Error);
        var pid = EscapedPid();
        Assert.False(ProcStat.IsAlive(pid), $"escaped process {pid} survived the step");
        Assert.True(result.TreeConfirmedDead);
        Assert.True(result.LeftoverProcessesKilled >= 1);
    }

    [Theory(Timeout = HangGuard)]
    [InlineData(nameof(LaunchPath.Spawn))]
    [InlineData(nameof(LaunchPath.Process))]
    public async Task A_process_that_left_the_group_is_gone_after_a_timeout(string path)
    {
        var result = await RunAsync(path, SetpgrpIgnoringTerm + " until [ -s esc.pid ]; do sleep 0.01; done; exec sleep 1000", TimeSpan.FromSeconds(1));

        Assert.Equal(ProcessRunStatus.TimedOut, result.Status);
        var pid = EscapedPid();
        Assert.False(ProcStat.IsAlive(pid), $"escaped process {pid} survived the timeout");
        Assert.True(result.TreeConfirmedDead);
    }

    private int EscapedPid() => int.Parse(File.ReadAllText(Path.Combine(_folder, "esc.pid")).Trim(), CultureInfo.InvariantCulture);

    private Task<ProcessRunResult> RunAsync(string path, string body, TimeSpan? timeout)
        => new ProcessLauncher(new ProcessLauncherOptions
        {
            LaunchPath = Enum.Parse<LaunchPath>(path),
            KillGracePeriod = TimeSpan.FromMilliseconds(500),
        }).RunAsync(
            new ProcessSpec { Command = "/bin/sh", Arguments = ["-c", body], WorkingDirectory = _folder, Timeout = timeout },
            (_, _) => { },
            TimeProvider.System,
            default);
}
