using System.Globalization;
using Flowline.Execution.Processes;

namespace Flowline.Core.Tests.Execution.Processes;

/// <summary>Both launch paths (posix_spawn and Process + setsid) keep the same guarantees.</summary>
public sealed class ProcessLauncherTests : IDisposable
{
    private const int HangGuard = 30_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("flowline-launch-").FullName;

    public static TheoryData<string> Paths => [nameof(LaunchPath.Spawn), nameof(LaunchPath.Process)];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Setting_process_forces_the_fallback_path()
    {
        Assert.Equal(LaunchPath.Process, ProcessLauncher.ChoosePath("process"));
        Assert.Equal(LaunchPath.Process, ProcessLauncher.ChoosePath("Process"));
    }

    [Fact]
    public void Spawn_is_the_default_on_linux_when_not_pid_1()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessId == 1)
        {
            return; // the posix_spawn path is for Linux, and not as PID 1
        }

        Assert.Equal(LaunchPath.Spawn, ProcessLauncher.ChoosePath(null));
        Assert.Equal(LaunchPath.Spawn, ProcessLauncher.ChoosePath("spawn"));
    }

    [Fact(Timeout = HangGuard)]
    public async Task Warming_up_twice_completes_and_launches_still_capture_output_and_exit_codes()
    {
        await ProcessLauncher.WarmUpAsync();
        await ProcessLauncher.WarmUpAsync();

        var result = await RunAsync(nameof(LaunchPath.Spawn), "echo warm; echo cold >&2; exit 4");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("warm", result.Stdout.Trim());
        Assert.Equal("cold", result.Stderr.Trim());
    }

    [Theory(Timeout = HangGuard)]
    [MemberData(nameof(Paths))]
    public async Task Process_leads_its_own_session_and_process_group(string path)
    {
        // /proc/PID/stat: "pid (comm) state ppid pgrp session ..."
        var result = await RunAsync(path, "read -r stat < /proc/$$/stat; echo \"$stat\" | cut -d' ' -f1,5,6");

        Assert.True(result.Succeeded, result.Error);
        var fields = result.Stdout.Trim().Split(' ');
        Assert.Equal(fields[0], fields[1]);
        Assert.Equal(fields[0], fields[2]);
    }

    [Theory(Timeout = HangGuard)]
    [InlineData("Spawn", "exit 0", 0)]
    [InlineData("Spawn", "exit 3", 3)]
    [InlineData("Spawn", "exit 255", 255)]
    [InlineData("Spawn", "kill -TERM $$", 128 + 15)]
    [InlineData("Spawn", "kill -KILL $$", 128 + 9)]
    [InlineData("Spawn", "kill -PIPE $$", 128 + 13)] // SIGPIPE is back to its default (Process leaves .NET's SIG_IGN)
    [InlineData("Process", "exit 3", 3)]
    [InlineData("Process", "kill -TERM $$", 128 + 15)]
    public async Task Exit_codes_include_deaths_by_signal(string path, string body, int expected)
    {
        var result = await RunAsync(path, body);

        Assert.Equal(ProcessRunStatus.Exited, result.Status);
        Assert.Equal(expected, result.ExitCode);
    }

    [Theory(Timeout = HangGuard)]
    [MemberData(nameof(Paths))]
    public async Task No_zombie_is_left_after_a_run(string path)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RunAsync(path, "echo $$")));

        foreach (var result in results)
        {
            Assert.True(result.Succeeded, result.Error);
            var pid = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
            var stat = $"/proc/{pid}/stat";
            if (File.Exists(stat))
            {
                // The pid may have been reused by some other process; it must not be our unreaped child.
                var fields = File.ReadAllText(stat)[(File.ReadAllText(stat).LastIndexOf(')') + 2)..].Split(' ');
                Assert.False(
                    fields[0] == "Z" && fields[1] == Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                    $"process {pid} is a zombie child of the test host");
            }
        }
    }

    [Theory(Timeout = HangGuard)]
    [MemberData(nameof(Paths))]
    public async Task Standard_input_is_passed_or_empty(string path)
    {
        var fed = await RunAsync(path, "cat", input: "line one\nline two\n");
        var empty = await RunAsync(path, "cat; echo end");

        Assert.Equal("line one\nline two\n", fed.Stdout);
        Assert.Equal("end\n", empty.Stdout);
    }

    [Theory(Timeout = HangGuard)]
    [MemberData(nameof(Paths))]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Missing_interpreter_is_reported_as_not_executed(string path)
    {
        var script = Path.Combine(_folder, "bad.sh");
        File.WriteAllText(script, "#!/nonexistent/interpreter\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await Launcher(path).RunAsync(
            new ProcessSpec { Command = script, WorkingDirectory = _folder }, (_, _) => { }, TimeProvider.System, default);

        Assert.Equal(ProcessRunStatus.NotStarted, result.Status);
        Assert.StartsWith($"Command '{script}' could not be executed: No such file or directory.", result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Spawned_trees_are_tracked_for_the_last_resort_kill()
    {
        var launcher = Launcher(nameof(LaunchPath.Spawn));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = launcher.RunAsync(
            new ProcessSpec { Command = "/bin/sh", Arguments = ["-c", "echo ready; sleep 30"], WorkingDirectory = _folder },
            (line, _) =>
            {
                if (line == "ready")
                {
                    started.TrySetResult();
                }
            },
            TimeProvider.System,
            default);
        await started.Task;

        // KillAll closes the registry for the whole test process; check the registration and kill the group instead.
        var pgid = await FindGroupAsync("sleep 30");
        Assert.True(LiveProcessTrees.IsTracked(pgid));
        Assert.Equal(0, LibC.Kill(-pgid, LibC.SigKill));

        var result = await run;
        Assert.Equal(128 + 9, result.ExitCode);
        Assert.False(LiveProcessTrees.IsTracked(pgid));
    }

    private static async Task<int> FindGroupAsync(string commandLine)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = (await File.ReadAllTextAsync(directory + "/cmdline")).Replace('\0', ' ').Trim();
                if (cmdline.EndsWith(commandLine, StringComparison.Ordinal) && cmdline.StartsWith("/bin/sh", StringComparison.Ordinal))
                {
                    var stat = await File.ReadAllTextAsync(directory + "/stat");
                    return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
            }
        }

        throw new InvalidOperationException("process not found");
    }

    [Fact(Timeout = HangGuard)]
    public async Task The_reaper_wakes_for_exits_only()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessId == 1)
        {
            return; // the pidfd reaper belongs to the posix_spawn path: Linux, not as PID 1
        }

        // Overlapping launches: a child being spawned holds a copy of the descriptor table until its exec, so a reaped
        // pidfd that was only closed stayed in the epoll set, and the reaper spun on its exit event, hundreds of
        // wake-ups per process (issue 15, B2). Other tests' processes share the reaper; they add no idle events either.
        await RunAsync(nameof(LaunchPath.Spawn), "exit 0");
        var before = SpawnReaper.IdleEvents;
        for (var round = 0; round < 10; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RunAsync(nameof(LaunchPath.Spawn), "exit 0")));
            Assert.All(results, result => Assert.True(result.Succeeded, result.Error));
        }

        var idle = SpawnReaper.IdleEvents - before;
        Assert.True(idle < 20, $"the reaper woke {idle} times for no exit during 80 launches");
    }

    private ProcessLauncher Launcher(string path) => new(new ProcessLauncherOptions
    {
        LaunchPath = Enum.Parse<LaunchPath>(path),
        KillGracePeriod = TimeSpan.FromMilliseconds(500),
    });

    private Task<ProcessRunResult> RunAsync(string path, string body, string? input = null)
        => Launcher(path).RunAsync(
            new ProcessSpec { Command = "/bin/sh", Arguments = ["-c", body], WorkingDirectory = _folder, StandardInput = input },
            (_, _) => { },
            TimeProvider.System,
            default);
}
