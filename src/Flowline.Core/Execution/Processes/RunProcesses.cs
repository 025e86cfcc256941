using System.Globalization;
using System.Text;

namespace Flowline.Execution.Processes;

/// <summary>
/// The step processes of a recorded run that are still alive on this machine, found by the <c>FLOWLINE_RUN_ID</c>
/// every step process (and its descendants) carries (issue 18): after a runner is killed they run on, and a resume
/// must not start the same step beside them.
/// </summary>
internal static class RunProcesses
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>The live processes (zombies excluded) whose environment says they belong to <paramref name="runId"/>.</summary>
    public static IReadOnlyList<int> Find(string runId)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }

        var needle = Encoding.UTF8.GetBytes($"{StepEnvironment.RunIdVariable}={runId}\0");
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(directory.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != self && StrayProcesses.HasMarker(pid, needle) && ProcStat.IsAlive(pid))
            {
                found.Add(pid);
            }
        }

        found.Sort();
        return found;
    }

    /// <summary>
    /// SIGTERM to every process of <paramref name="runId"/>, SIGKILL to those left after <paramref name="grace"/>, each
    /// wait bounded; returns the processes still alive at the end (none, unless they are out of reach).
    /// </summary>
    public static async Task<IReadOnlyList<int>> StopAsync(string runId, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        var left = Find(runId);
        if (left.Count == 0)
        {
            return left;
        }

        StrayProcesses.Signal(left, LibC.SigTerm);
        left = await WaitAsync(runId, grace, time, cancellationToken).ConfigureAwait(false);
        if (left.Count == 0)
        {
            return left;
        }

        StrayProcesses.Signal(left, LibC.SigKill);
        return await WaitAsync(runId, grace, time, cancellationToken).ConfigureAwait(false);
    }

    // Not our children, so there is nothing to wait on: poll, within the bound.
    private static async Task<IReadOnlyList<int>> WaitAsync(string runId, TimeSpan bound, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var left = Find(runId);
        while (left.Count > 0 && time.GetElapsedTime(start) < bound)
        {
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            left = Find(runId);
        }

        return left;
    }
}
