using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Flowline.Execution.Processes;

/// <summary>
/// Reaps the processes started by <c>posix_spawn</c>: one background thread waits in <c>epoll_wait</c> on a pidfd
/// per process (readable once it exits), then collects exactly that pid with <c>waitpid(pid, WNOHANG)</c>. Unlike
/// <see cref="System.Diagnostics.Process"/> this needs no SIGCHLD handler and no thread per wait.
/// </summary>
internal static unsafe class SpawnReaper
{
    private const int MaxEvents = 64;

    private static readonly ConcurrentDictionary<int, SpawnedProcess> Waiting = new();
    private static readonly Lock StartGate = new();
    private static int _epoll = -1;
    private static long _idleEvents;

    // struct epoll_event is packed on x86-64 (12 bytes, data at 4) and naturally aligned elsewhere (16, data at 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>Starts waiting for <paramref name="process"/>, whose pidfd is <paramref name="pidFd"/> (-1: none, a thread waits).</summary>
    public static void Watch(SpawnedProcess process, int pidFd)
    {
        if (pidFd >= 0)
        {
            var epoll = EnsureStarted();
            Waiting[pidFd] = process;
            var evt = stackalloc byte[16];
            *(uint*)evt = LibC.EpollIn;
            *(long*)(evt + DataOffset) = pidFd;
            if (epoll >= 0 && LibC.EpollCtl(epoll, LibC.EpollAdd, pidFd, evt) == 0)
            {
                return;
            }

            Waiting.TryRemove(pidFd, out _);
            _ = LibC.Close(pidFd);
        }

        // No pidfd (out of descriptors): a blocking waitpid on a thread of its own; rare, so simple.
        var thread = new Thread(() => process.TryReap(block: true)) { IsBackground = true, Name = "flowline-waitpid" };
        thread.Start();
    }

    /// <summary>Events that reaped nothing since start-up: a stale registration would make them pile up (tests read it).</summary>
    internal static long IdleEvents => Volatile.Read(ref _idleEvents);

    /// <summary>Starts the reaper thread now rather than at the first launch.</summary>
    public static void Prepare() => EnsureStarted();

    private static int EnsureStarted()
    {
        if (Volatile.Read(ref _epoll) >= 0)
        {
            return _epoll;
        }

        lock (StartGate)
        {
            if (_epoll < 0)
            {
                var epoll = LibC.EpollCreate1(LibC.OpenCloseOnExec);
                if (epoll < 0)
                {
                    return -1;
                }

                var thread = new Thread(() => Run(epoll)) { IsBackground = true, Name = "flowline-reaper" };
                thread.Start();
                Volatile.Write(ref _epoll, epoll);
            }

            return _epoll;
        }
    }

    private static void Run(int epoll)
    {
        var events = stackalloc byte[MaxEvents * 16];
        while (true)
        {
            var count = LibC.EpollWait(epoll, events, MaxEvents, -1);
            for (var i = 0; i < count; i++)
            {
                var pidFd = (int)*(long*)(events + (i * EventSize) + DataOffset);
                if (!Waiting.TryGetValue(pidFd, out var process) || !process.TryReap(block: false))
                {
                    Volatile.Write(ref _idleEvents, _idleEvents + 1);
                    continue;
                }

                // Remove before close: once closed, the number may be handed out again for the next pidfd. Leave the
                // epoll set explicitly too: closing the descriptor does not, while a copy of it lives on (a child being
                // spawned holds the descriptor table until its exec), and a pidfd left behind reports its exit forever:
                // the reaper then spun on it, taking most of a core from a 5,000-step run (issue 15, B2).
                Waiting.TryRemove(pidFd, out _);
                _ = LibC.EpollCtl(epoll, LibC.EpollDelete, pidFd, null);
                _ = LibC.Close(pidFd);
            }
        }
    }
}
