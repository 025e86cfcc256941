using System.Runtime.InteropServices;

namespace Flowline.Execution.Processes;

/// <content>The calls a host that owns its process makes once at start-up (see <see cref="HostProcess"/>).</content>
internal static unsafe partial class LibC
{
    /// <summary>PR_SET_CHILD_SUBREAPER (Linux 3.4).</summary>
    public const int SetChildSubreaper = 36;

    /// <summary><c>prctl(2)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
