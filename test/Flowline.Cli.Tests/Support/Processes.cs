using System.Globalization;
using System.Runtime.InteropServices;

namespace Flowline.Cli.Tests;

/// <summary>Signals and liveness of processes the tests did not start themselves (a step's children).</summary>
internal static partial class Processes
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Signal(int pid, int signal) => Assert.Equal(0, Kill(pid, signal));

    /// <summary>
    /// Kills what a failed test would otherwise leave running: the process group a step's main process leads
    /// (the launcher starts each step in its own), and <paramref name="pid"/> itself, if still alive.
    /// </summary>
    public static void KillLeftovers(int pid)
    {
        if (IsAlive(pid))
        {
            _ = Kill(-pid, SigKill);
            _ = Kill(pid, SigKill);
        }
    }

    /// <summary>Reads a pid a step script wrote.</summary>
    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Alive = it has a /proc entry and is not a zombie (an orphan whose exit PID 1 has not collected yet).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for <paramref name="pid"/> to die, at most 30 s. Polling, because it is not our child: we cannot wait
    /// for it. A SIGKILL is delivered at once but the kernel tears the process down asynchronously.
    /// </summary>
    public static async Task<bool> WaitUntilGoneAsync(int pid)
    {
        for (var i = 0; i < 300 && IsAlive(pid); i++)
        {
            await Task.Delay(100);
        }

        return !IsAlive(pid);
    }

    /// <summary>Waits for a step to create <paramref name="file"/>, at most 30 s, or for the CLI to exit first.</summary>
    public static async Task WaitForFileAsync(string file, FlowlineProcess cli)
    {
        for (var i = 0; i < 300 && !File.Exists(file) && !cli.HasExited; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(file), $"'{file}' never appeared. stdout:\n{cli.Stdout}\nstderr:\n{cli.Stderr}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
