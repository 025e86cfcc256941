using System.ComponentModel;
using System.Diagnostics;

namespace Flowline.Execution.Processes;

/// <summary>
/// Every process tree the launcher started and has not yet seen die, process-wide. It exists for one moment: a
/// process about to end at once (a second Ctrl+C, issue #3) skips every <c>finally</c> and every cancellation, so it
/// calls <see cref="KillAll"/> first and no step's children outlive it (STYLE rule 5).
/// </summary>
internal static class LiveProcessTrees
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<Process, ProcessGroup?> Trees = new(ReferenceEqualityComparer.Instance);
    private static bool _closed;

    /// <summary>
    /// Tracks a just-started process. After <see cref="KillAll"/> nothing new may live: the tree is killed at once
    /// and false returned.
    /// </summary>
    public static bool Add(Process process, ProcessGroup? group)
    {
        lock (Gate)
        {
            if (!_closed)
            {
                Trees.Add(process, group);
                return true;
            }

            KillNow(process, group);
            return false;
        }
    }

    /// <summary>Stops tracking <paramref name="process"/>; call before disposing it.</summary>
    public static void Remove(Process process)
    {
        lock (Gate)
        {
            Trees.Remove(process);
        }
    }

    /// <summary>
    /// SIGKILLs every tracked tree synchronously, without waiting for them to die, and refuses new ones from now on.
    /// Returns how many trees were signalled.
    /// </summary>
    public static int KillAll()
    {
        // The lock also keeps Remove (and so Dispose) from racing the kill: a process is signalled while still ours.
        lock (Gate)
        {
            _closed = true;
            foreach (var (process, group) in Trees)
            {
                KillNow(process, group);
            }

            return Trees.Count;
        }
    }

    /// <summary>SIGKILL to the tree of <paramref name="process"/>, no grace period, no wait.</summary>
    public static void KillNow(Process process, ProcessGroup? group)
    {
        try
        {
            if (group is not null)
            {
                group.Signal(LibC.SigKill);

                // Between fork and setsid() the group does not exist yet; the process itself is still setsid, which
                // has not exec'd the command, so killing it leaves nothing behind.
                if (!process.HasExited)
                {
                    process.Kill();
                }

                return;
            }

            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited, or not ours to kill any more.
        }
    }
}
