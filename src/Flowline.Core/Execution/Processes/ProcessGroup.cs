using System.Runtime.InteropServices;

namespace Flowline.Execution.Processes;

/// <summary>
/// The POSIX process group a step runs in (its id is the step's main pid, see <see cref="ProcessLauncher"/>).
/// Signalling the group reaches every descendant that did not leave it, including those whose parent already
/// exited, which <c>Process.Kill(entireProcessTree: true)</c> misses.
/// </summary>
internal sealed class ProcessGroup(int id)
{
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The process group id.</summary>
    public int Id { get; } = id;

    /// <summary>Sends <paramref name="signal"/> to every process of the group; false when none is left.</summary>
    public bool Signal(int signal) => LibC.Kill(-Id, signal) == 0;

    /// <summary>
    /// True while a process of the group has not yet exited. Exited processes that nobody reaped yet (zombies:
    /// orphans wait for PID 1 to reap them, and in a container PID 1 may never do so) do not count.
    /// </summary>
    public bool HasLiveMembers()
    {
        if (LibC.Kill(-Id, LibC.NoSignal) != 0 && Marshal.GetLastPInvokeError() != LibC.ErrorNotPermitted)
        {
            return false;
        }

        // kill(-pgid, 0) also succeeds for zombies; /proc tells them apart. Elsewhere trust kill.
        return !OperatingSystem.IsLinux() || CountLiveMembers() > 0;
    }

    /// <summary>How many processes of the group are alive (not zombies); -1 where /proc is not available.</summary>
    public int CountLiveMembers()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        var count = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = directory.AsSpan(6);
            if (name.IsEmpty || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            if (ProcStat.TryRead(directory, out var state, out var group, out _) && group == Id && state is not ('Z' or 'X'))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Waits until no live process is left in the group, at most <paramref name="bound"/>. Polls with a growing
    /// delay: POSIX offers no way to wait for processes that are not our children, and this runs only while
    /// killing, never on the normal path.
    /// </summary>
    public async Task<bool> WaitUntilGoneAsync(TimeSpan bound, TimeProvider timeProvider)
    {
        var start = timeProvider.GetTimestamp();
        var delay = FirstPollDelay;
        while (HasLiveMembers())
        {
            var left = bound - timeProvider.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(delay < left ? delay : left, timeProvider).ConfigureAwait(false);
            delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
        }

        return true;
    }
}
