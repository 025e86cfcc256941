using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Flowline.Execution.Processes;

/// <summary>
/// The one place Flowline starts processes (issue #3). It runs a command with an argument vector, never a shell;
/// standard input is empty (or carries <see cref="ProcessSpec.StandardInput"/>); stdout and stderr are read
/// concurrently with async pipe reads, captured with a bound and passed on line by line; and a child always dies
/// (STYLE rule 5).
/// </summary>
/// <remarks>
/// <para>
/// On Linux every process leads a new session and process group, whose id is its pid. Signals go to that whole
/// group (<c>kill(-pgid)</c>), which reaches grandchildren whose parent already exited. A timeout or cancellation
/// sends SIGTERM, then SIGKILL after <see cref="ProcessLauncherOptions.KillGracePeriod"/>, the final wait bounded by
/// <see cref="ProcessLauncherOptions.KillTimeout"/>. When the main process exits while others of its group still
/// run, those are terminated the same way (as CI runners do at the end of a job) and the log says so; this also
/// releases the output pipes they hold, so reading always ends. A process that left the group (<c>setsid</c>,
/// <c>setpgid</c>) is found by the marker in its environment and terminated the same way, after the group
/// (<see cref="StrayProcesses"/>, issue 18); one that also cleared its environment is out of reach, and reading its
/// pipes stops after <see cref="ProcessLauncherOptions.OutputDrainTimeout"/>.
/// </para>
/// <para>
/// Two launch paths (<see cref="LaunchPath"/>, chosen once per process by <see cref="ChoosePath"/>):
/// <list type="bullet">
/// <item><description>
/// <see cref="LaunchPath.Spawn"/>, the default on Linux: <c>posix_spawn</c> with <c>POSIX_SPAWN_SETSID</c>, an
/// empty signal mask and default signal dispositions, stdin <c>/dev/null</c> or a pipe; <see cref="SpawnReaper"/>
/// reaps it through its pidfd. This saves the exec of <c>setsid</c> and most of <see cref="Process"/>'s overhead
/// (issue #7). glibc reports exec failures from <c>posix_spawn</c> itself.
/// </description></item>
/// <item><description>
/// <see cref="LaunchPath.Process"/>: <see cref="Process"/> starts <c>setsid -- CMD ARGS</c>; not being a group
/// leader, <c>setsid</c> calls <c>setsid()</c> and execs the command. Used when <c>FLOWLINE_LAUNCHER=process</c>,
/// off Linux, and where reaping our own children is unsafe: as PID 1 (a container without init) or with SIGCHLD
/// ignored .NET reaps every child with <c>waitpid(-1)</c> and would steal the exit status. (A SIGCHLD ignored at
/// start-up is only seen if .NET has not yet installed its own handler; run under an init, e.g. <c>docker --init</c>,
/// or set <c>FLOWLINE_LAUNCHER=process</c> there.) Elsewhere than Linux (no <c>setsid</c>, e.g. Windows) the tree
/// is killed with <c>Process.Kill(entireProcessTree: true)</c>.
/// </description></item>
/// </list>
/// </para>
/// <para>
/// Every started tree is in <see cref="LiveProcessTrees"/> until it is known dead, so that a process about to exit
/// without unwinding (the CLI's second Ctrl+C) can SIGKILL them all first.
/// </para>
/// </remarks>
internal sealed partial class ProcessLauncher
{
    private static readonly string? SetsidPath = FindSetsid();

    private static ProcessLauncher? _lastForRun;

    private readonly ProcessLauncherOptions _options;

    /// <summary>A launcher with <paramref name="options"/>, or the defaults.</summary>
    public ProcessLauncher(ProcessLauncherOptions? options = null)
    {
        _options = options ?? ProcessLauncherOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxCapturedBytes);
    }

    /// <summary>
    /// The launcher for a run's capture limit and kill grace period. Runs nearly always share the defaults, so this
    /// allocates once; a run with other limits gets (and keeps, until the next change) its own.
    /// </summary>
    public static ProcessLauncher ForRun(ExecutionOptions options)
    {
        var last = _lastForRun;
        if (last is not null
            && last._options.MaxCapturedBytes == options.OutputLimitBytes
            && last._options.KillGracePeriod == options.KillGracePeriod)
        {
            return last;
        }

        var launcher = new ProcessLauncher(ProcessLauncherOptions.Default with
        {
            MaxCapturedBytes = options.OutputLimitBytes,
            KillGracePeriod = options.KillGracePeriod,
        });
        _lastForRun = launcher;
        return launcher;
    }

    /// <summary>The limits in use.</summary>
    public ProcessLauncherOptions Options => _options;

    /// <summary>
    /// Runs <paramref name="spec"/> to its end. Each output line goes to <paramref name="log"/> as it arrives
    /// (never concurrently for one run). The step timeout follows <paramref name="timeProvider"/>. Cancellation is
    /// reported as <see cref="ProcessRunStatus.Cancelled"/> once the process tree is dead, not thrown.
    /// </summary>
    public async Task<ProcessRunResult> RunAsync(
        ProcessSpec spec,
        Action<string, LogStream> log,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new ProcessRunResult { Status = ProcessRunStatus.Cancelled };
        }

        if (!Directory.Exists(spec.WorkingDirectory))
        {
            return NotStarted($"Working directory '{spec.WorkingDirectory}' does not exist. Create it, or fix the step's workingDirectory (relative paths resolve against the workflow file's folder).");
        }

        var path = spec.Environment.TryGetValue("PATH", out var stepPath) ? stepPath : Environment.GetEnvironmentVariable("PATH");
        if (!CommandResolver.TryResolve(spec.Command, spec.WorkingDirectory, path, out var resolved, out var error))
        {
            return NotStarted(error);
        }

        // The timeout counts from before the start, so a clock that moves on meanwhile is not missed.
        using var timeout = spec.Timeout is { } t
            ? new CancellationTokenSource(t > TimeSpan.Zero ? t : TimeSpan.Zero, timeProvider)
            : null;
        var marker = OperatingSystem.IsLinux() ? StrayProcesses.NewMarker() : null;
        using var process = Start(spec, resolved, marker, out var startError);
        if (process is null)
        {
            return NotStarted(startError!);
        }

        var group = process is SpawnedProcess || SetsidPath is not null ? new ProcessGroup(process.Id) : null;
        LiveProcessTrees.Add(process, group);
        var runLog = new SerializedLog(log);
        var treeDead = false;
        try
        {
            var feeding = FeedInputAsync(process.StandardInput, spec.StandardInput);

            var stdout = new BoundedCapture(_options.MaxCapturedBytes);
            var stderr = new BoundedCapture(_options.MaxCapturedBytes);
            using var stopReading = new CancellationTokenSource();
            var pumps = Task.WhenAll(
                OutputPump.PumpAsync(process.StandardOutput, stdout, runLog.Stdout, stopReading.Token),
                OutputPump.PumpAsync(process.StandardError, stderr, runLog.Stderr, stopReading.Token));

            var status = await WaitForExitAsync(process, timeout?.Token ?? default, cancellationToken).ConfigureAwait(false);

            var leftovers = 0;
            if (status != ProcessRunStatus.Exited)
            {
                runLog.Info(group is null
                    ? $"Stopping '{spec.Command}' ({Describe(status)}): killing its process tree."
                    : string.Create(CultureInfo.InvariantCulture, $"Stopping '{spec.Command}' ({Describe(status)}): SIGTERM to process group {group.Id}."));
                treeDead = await KillTreeAsync(process, group, spec.Command, runLog).ConfigureAwait(false);
            }
            else if (group is not null && group.HasLiveMembers())
            {
                leftovers = group.CountLiveMembers();
                treeDead = await KillTreeAsync(process, group, spec.Command, runLog).ConfigureAwait(false);
                runLog.Info(DescribeLeftovers(spec.Command, leftovers, group.Id, treeDead));
            }
            else
            {
                treeDead = true;
            }

            // After the group: its members' children outside it are orphaned only once the members are gone.
            var strays = new HashSet<int>();
            if (marker is not null)
            {
                var straysGone = await KillStraysAsync(marker, spec.Command, runLog, strays).ConfigureAwait(false);
                treeDead = treeDead && straysGone;
                StrayProcesses.ReapAdopted(group?.Id ?? -1, process.Id, strays);
            }

            await feeding.ConfigureAwait(false);
            if (!await DrainAsync(pumps, stopReading).ConfigureAwait(false))
            {
                runLog.Info($"Stopped reading the output of '{spec.Command}' after it ended: a process outside its process group still holds stdout or stderr open.");
            }

            if (process is DotnetProcess && group is not null && status == ProcessRunStatus.Exited && TryExplainExecFailure(process.ExitCode, stdout, stderr, out var reason))
            {
                return NotStarted($"Command {Name(spec.Command, resolved)} could not be executed: {reason}. If it is a script, check that its '#!' line names an installed interpreter.");
            }

            return new ProcessRunResult
            {
                Status = status,
                ExitCode = process.HasExited ? process.ExitCode : null,
                Stdout = stdout.ToString(),
                Stderr = stderr.ToString(),
                ResolvedPath = resolved,
                LeftoverProcessesKilled = Math.Max(leftovers, 0) + strays.Count,
                TreeConfirmedDead = treeDead,
            };
        }
        finally
        {
            // Reached with a live tree only when something above threw, or SIGKILL was not confirmed: never leave it running.
            if (!treeDead)
            {
                LiveProcessTrees.KillNow(process, group);
            }

            LiveProcessTrees.Remove(process);
        }
    }

    // Written while the output is read, so a large prompt cannot deadlock against a full stdout pipe; a process that
    // exits without reading its input is not an error.
    private static async Task FeedInputAsync(StreamWriter? input, string? text)
    {
        if (input is null)
        {
            return;
        }

        try
        {
            if (text is not null)
            {
                await input.WriteAsync(text).ConfigureAwait(false);
                await input.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    private static ProcessRunResult NotStarted(string error) => new() { Status = ProcessRunStatus.NotStarted, Error = error };

    /// <summary>
    /// Recognises <c>setsid</c>'s own report that exec failed (exit 126 or 127, nothing on stdout, its message on
    /// stderr), which happens when a script's interpreter is missing.
    /// </summary>
    private static bool TryExplainExecFailure(int exitCode, BoundedCapture stdout, BoundedCapture stderr, [NotNullWhen(true)] out string? reason)
    {
        const string prefix = "setsid: failed to execute ";
        reason = null;
        if (exitCode is not (126 or 127) || stdout.TotalBytes != 0 || stderr.TotalBytes > 4096)
        {
            return false;
        }

        var text = stderr.ToString().TrimEnd();
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }

        var separator = text.LastIndexOf(": ", StringComparison.Ordinal);
        reason = separator > prefix.Length ? text[(separator + 2)..] : text;
        return true;
    }

    private static string Name(string command, string resolved)
        => command == resolved ? $"'{command}'" : $"'{command}' ({resolved})";

    private static string Describe(ProcessRunStatus status) => status == ProcessRunStatus.TimedOut ? "timed out" : "cancelled";

    private static string DescribeLeftovers(string command, int count, int groupId, bool confirmedDead)
    {
        var what = count switch
        {
            < 0 => "processes",
            1 => "1 process",
            _ => string.Create(CultureInfo.InvariantCulture, $"{count} processes"),
        };
        var outcome = confirmedDead ? "Terminated" : "Tried to terminate (some may survive)";
        return string.Create(CultureInfo.InvariantCulture, $"{outcome} {what} left running by '{command}' after it exited (process group {groupId}).");
    }

    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var candidate in (string[])["/usr/bin/setsid", "/bin/setsid"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Passes lines from both pipes and the launcher's own messages to one callback, one at a time.</summary>
    private sealed class SerializedLog(Action<string, LogStream> log)
    {
        private readonly Lock _lock = new();
        private readonly Action<string, LogStream> _log = log;

        public void Stdout(string line) => Write(line, LogStream.Stdout);

        public void Stderr(string line) => Write(line, LogStream.Stderr);

        public void Info(string line) => Write(line, LogStream.Info);

        private void Write(string line, LogStream stream)
        {
            lock (_lock)
            {
                _log(line, stream);
            }
        }
    }
}
