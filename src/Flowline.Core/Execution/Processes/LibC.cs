using System.Runtime.InteropServices;

namespace Flowline.Execution.Processes;

/// <summary>The few POSIX calls .NET does not expose: signalling a whole process group.</summary>
internal static unsafe partial class LibC
{
    /// <summary>Signal 0: no signal is sent, only existence and permission are checked.</summary>
    public const int NoSignal = 0;

    /// <summary>SIGKILL; the same number on Linux and macOS.</summary>
    public const int SigKill = 9;

    /// <summary>SIGTERM; the same number on Linux and macOS.</summary>
    public const int SigTerm = 15;

    /// <summary>EPERM: the process exists but belongs to someone else.</summary>
    public const int ErrorNotPermitted = 1;

    /// <summary><c>kill(2)</c>; a negative <paramref name="pid"/> signals every process of that process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
