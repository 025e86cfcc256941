namespace Flowline.Execution.Processes;

/// <summary>
/// Every process tree the launcher started and has not yet seen die, process-wide, however it was started. It
/// exists for one moment: a process about to end at once (a second Ctrl+C, issue #3) skips every <c>finally</c> and
/// every cancellation, so it calls <see cref="KillAll"/> first and no step's children outlive it (STYLE rule 5).
/// </summary>
internal static class LiveProcessTrees
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<LaunchedProcess, ProcessGroup?> Trees = new(ReferenceEqualityComparer.Instance);
    private static bool _closed;

    /// <summary>
    /// Tracks a just-started process. After <see cref="KillAll"/> nothing new may live: the tree is killed at once
    /// and false returned.
    /// </summary>
    public static bool Add(LaunchedProcess process, ProcessGroup? group)
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
    public static void Remove(LaunchedProcess process)
    {
        lock (Gate)
        {
            Trees.Remove(process);
        }
    }

    /// <summary>True while a process with id <paramref name="pid"/> is tracked (for tests and diagnostics).</summary>
    public static bool IsTracked(int pid)
    {
        lock (Gate)
        {
            return Trees.Keys.Any(process => process.Id == pid);
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
    public static void KillNow(LaunchedProcess process, ProcessGroup? group)
    {
        if (group is null)
        {
            process.KillEntireTree();
            return;
        }

        group.Signal(LibC.SigKill);

        // Through setsid: between fork and setsid() the group does not exist yet; the process itself is still setsid,
        // which has not exec'd the command, so killing it leaves nothing behind. Through posix_spawn the group exists
        // from the start; this is then a no-op.
        process.Kill();
    }
}
