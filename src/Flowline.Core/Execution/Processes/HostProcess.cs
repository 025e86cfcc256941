namespace Flowline.Execution.Processes;

/// <summary>
/// What a host that owns its process (the <c>flowline</c> command) sets up once, first thing (issue 18): SIGCHLD back
/// to its default, and this process a child subreaper (<c>PR_SET_CHILD_SUBREAPER</c>), so that a process escaping
/// a step's process group and losing its parent is re-parented to the runner rather than to PID 1, where
/// <see cref="StrayProcesses"/> finds it cheaply at the end of the step.
/// </summary>
/// <remarks>
/// Opt-in, because a subreaper inherits every orphan below it: a library host that starts other processes itself
/// would collect their orphans too, and only those of Flowline's steps are reaped here.
/// </remarks>
internal static unsafe class HostProcess
{
    private static int _subreaper;

    /// <summary>True once this process is a child subreaper.</summary>
    public static bool IsSubreaper => Volatile.Read(ref _subreaper) != 0;

    /// <summary>Resets an ignored SIGCHLD and becomes a child subreaper where Linux allows; never throws.</summary>
    public static void Prepare()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            ResetIgnoredChildSignal();
            if (LibC.Prctl(LibC.SetChildSubreaper, 1, 0, 0, 0) == 0)
            {
                Volatile.Write(ref _subreaper, 1);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    // Started with SIGCHLD ignored (a parent's choice, inherited through exec), the kernel discards every child's exit
    // status and a step on the fallback path never finishes. Reset only while it is still ignored: once .NET has
    // installed its own handler, that handler is what it needs.
    private static void ResetIgnoredChildSignal()
    {
        // struct sigaction in glibc (x86-64, arm64): handler at 0, 128-byte mask, int flags at 136.
        const int saNoChildWait = 2;
        var action = stackalloc byte[256];
        if (LibC.SigAction(LibC.SigChild, null, action) != 0)
        {
            return;
        }

        var ignored = *(nint*)action == 1 /* SIG_IGN */ || (*(nint*)action == 0 && (*(int*)(action + 136) & saNoChildWait) != 0);
        if (ignored)
        {
            new Span<byte>(action, 256).Clear(); // SIG_DFL, empty mask, no flags
            _ = LibC.SigAction(LibC.SigChild, action, null);
        }
    }
}
