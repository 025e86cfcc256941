using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Flowline.Execution.Processes;

/// <content>Choosing the launch path once per process, and starting a process on it.</content>
internal sealed partial class ProcessLauncher
{
    /// <summary>The environment variable that forces the fallback path: <c>FLOWLINE_LAUNCHER=process</c>.</summary>
    public const string LauncherVariable = "FLOWLINE_LAUNCHER";

    private static readonly Lazy<LaunchPath> DefaultPathLazy = new(() => ChoosePath(Environment.GetEnvironmentVariable(LauncherVariable)));

    /// <summary>The launch path of this process, chosen on first use (see <see cref="ChoosePath"/>).</summary>
    public static LaunchPath DefaultPath => DefaultPathLazy.Value;

    /// <summary>
    /// <see cref="LaunchPath.Spawn"/> on Linux (x86-64, arm64) unless <paramref name="setting"/> (the value of
    /// <see cref="LauncherVariable"/>) is <c>process</c>, this is PID 1 or SIGCHLD is ignored (then .NET reaps every
    /// child with <c>waitpid(-1)</c> and would take our exit statuses), or <c>pidfd_open</c>, <c>posix_spawn</c>
    /// or <c>posix_spawn_file_actions_addchdir_np</c> is missing; else <see cref="LaunchPath.Process"/>.
    /// </summary>
    public static LaunchPath ChoosePath(string? setting)
    {
        if (string.Equals(setting, "process", StringComparison.OrdinalIgnoreCase)
            || !OperatingSystem.IsLinux()
            || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return LaunchPath.Process;
        }

        try
        {
            return LibC.GetPid() != 1 && !ChildSignalIgnored() && HasSpawnCalls() && HasPidfd() ? LaunchPath.Spawn : LaunchPath.Process;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return LaunchPath.Process;
        }
    }

    private static unsafe bool ChildSignalIgnored()
    {
        // struct sigaction in glibc (x86-64, arm64): handler at 0, 128-byte mask, int flags at 136.
        const int saNoChildWait = 2;
        var action = stackalloc byte[256];
        if (LibC.SigAction(LibC.SigChild, null, action) != 0)
        {
            return true;
        }

        return *(nint*)action == 1 /* SIG_IGN */ || (*(int*)(action + 136) & saNoChildWait) != 0;
    }

    private static bool HasSpawnCalls()
        => NativeLibrary.TryLoad("libc.so.6", out var libc)
            && NativeLibrary.TryGetExport(libc, "posix_spawn", out _)
            && NativeLibrary.TryGetExport(libc, "posix_spawn_file_actions_addchdir_np", out _);

    private static bool HasPidfd()
    {
        var fd = LibC.PidfdOpen(LibC.GetPid());
        if (fd < 0)
        {
            return false;
        }

        _ = LibC.Close(fd);
        return true;
    }

    /// <summary>Starts <paramref name="spec"/> on this launcher's path; null and <paramref name="error"/> when it could not.</summary>
    private LaunchedProcess? Start(ProcessSpec spec, string resolved, string? marker, out string? error)
    {
        error = null;
        if ((_options.LaunchPath ?? DefaultPath) == LaunchPath.Spawn)
        {
            var spawned = SpawnedProcess.Start(resolved, spec.Arguments, spec.WorkingDirectory, WithMarker(spec.Environment, marker), spec.StandardInput is not null, out var errno, spec.Unset);
            if (spawned is null)
            {
                var message = Marshal.GetPInvokeErrorMessage(errno);

                // The resolver found an executable file, so these come from exec itself (e.g. a missing '#!' interpreter).
                error = errno is 2 /* ENOENT */ or 8 /* ENOEXEC */ or 13 /* EACCES */ or 20 /* ENOTDIR */ or 40 /* ELOOP */
                    ? $"Command {Name(spec.Command, resolved)} could not be executed: {message}. If it is a script, check that its '#!' line names an installed interpreter."
                    : $"Command {Name(spec.Command, resolved)} could not be started: {message}";
            }

            return spawned;
        }

        var process = new Process { StartInfo = CreateStartInfo(spec, resolved, marker) };
        try
        {
            process.Start();
            return new DotnetProcess(process);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            error = $"Command {Name(spec.Command, resolved)} could not be started: {ex.Message}";
            return null;
        }
    }

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec, string resolved, string? marker)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory,
        };

        if (SetsidPath is null)
        {
            startInfo.FileName = resolved;
        }
        else
        {
            startInfo.FileName = SetsidPath;
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(resolved);
        }

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in spec.Unset)
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in WithMarker(spec.Environment, marker))
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }
}
