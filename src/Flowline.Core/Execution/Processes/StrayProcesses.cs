using System.Globalization;
using System.Text;

namespace Flowline.Execution.Processes;

/// <summary>
/// The processes a step left running outside its process group (<c>setsid</c>, a double fork into a new session,
/// <c>setpgid</c>), found by a marker every launched process gets in its environment, <see cref="Variable"/>, which
/// their descendants inherit (issue 18). As a child subreaper (<see cref="HostProcess"/>) the runner looks only at
/// the orphans re-parented to it and their descendants; otherwise at every process's <c>/proc/PID/environ</c>.
/// A process that also clears its environment is out of reach of the marker.
/// </summary>
internal static class StrayProcesses
{
    /// <summary>The marker's environment variable: <c>FLOWLINE_PROCESS_TREE=RUNNERPID.N</c>, unique per launch.</summary>
    public const string Variable = "FLOWLINE_PROCESS_TREE";

    private static readonly string Prefix = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}.");
    private static long _launches;

    /// <summary>A marker no other launch of this process shares.</summary>
    public static string NewMarker() => Prefix + Interlocked.Increment(ref _launches).ToString(CultureInfo.InvariantCulture);

    /// <summary>The live processes that carry <paramref name="marker"/>, with the descendants of those found.</summary>
    public static HashSet<int> Find(string marker)
    {
        var needle = Encoding.UTF8.GetBytes($"{Variable}={marker}\0");
        var found = new HashSet<int>();
        var unsure = new List<int>();
        if (HostProcess.IsSubreaper)
        {
            foreach (var child in ProcStat.AdoptedChildren())
            {
                Look(child, needle, found, unsure);
            }
        }
        else
        {
            var self = Environment.ProcessId;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(directory.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != self)
                {
                    Look(pid, needle, found, unsure);
                }
            }
        }

        LookAgain(unsure, pid => Look(pid, needle, found, unsure: null), static () => Thread.Sleep(1));
        return found;
    }

    /// <summary>
    /// Looks at <paramref name="unsure"/> again, a pause apart, until none is left or <see cref="UnsureRounds"/> have
    /// passed; <paramref name="look"/> says whether a pid is still unsure.
    /// </summary>
    internal static void LookAgain(List<int> unsure, Func<int, bool> look, Action pause)
    {
        for (var round = 0; round < UnsureRounds && unsure.Count > 0; round++)
        {
            pause();
            unsure.RemoveAll(pid => !look(pid));
        }
    }

    /// <summary>How often a process whose environment read empty is read again.</summary>
    internal const int UnsureRounds = 5;

    // Adds a live marked process (and, as a subreaper, its descendants) to found. A live process other than a kernel
    // thread whose environment reads empty is in the middle of exec (the kernel shows no environment until the new
    // image has one: `sh -c 'echo $$ > pid; exec sleep 9'` ends in that window): it goes to unsure, to be read again.
    // Returns whether the process is (still) unsure.
    private static bool Look(int pid, byte[] needle, HashSet<int> found, List<int>? unsure)
    {
        var marker = ReadMarker(pid, needle);
        if (marker == MarkerRead.Absent || !ProcStat.IsAlive(pid))
        {
            return false;
        }

        if (marker == MarkerRead.Found)
        {
            if (HostProcess.IsSubreaper)
            {
                AddTree(pid, found);
            }
            else
            {
                found.Add(pid);
            }

            return false;
        }

        if (ProcStat.IsKernelThread(pid))
        {
            return false;
        }

        unsure?.Add(pid);
        return true;
    }

    /// <summary>Sends <paramref name="signal"/> to each of <paramref name="pids"/>.</summary>
    public static void Signal(IEnumerable<int> pids, int signal)
    {
        foreach (var pid in pids)
        {
            _ = LibC.Kill(pid, signal);
        }
    }

    /// <summary>
    /// Reaps the exited orphans of one step that were re-parented to this subreaper: those still in the step's
    /// session <paramref name="session"/> and the strays in <paramref name="killed"/>. Never another pid: a child
    /// that <see cref="System.Diagnostics.Process"/> started must be reaped by it alone.
    /// </summary>
    public static unsafe void ReapAdopted(int session, int mainPid, HashSet<int> killed)
    {
        if (!HostProcess.IsSubreaper)
        {
            return;
        }

        foreach (var child in ProcStat.AdoptedChildren())
        {
            if (child != mainPid
                && ProcStat.TryRead(ProcStat.Directory(child), out var state, out _, out var childSession)
                && state == 'Z'
                && (childSession == session || killed.Contains(child)))
            {
                int status;
                _ = LibC.WaitPid(child, &status, LibC.WaitNoHang);
            }
        }
    }

    private static void AddTree(int pid, HashSet<int> found)
    {
        if (!found.Add(pid))
        {
            return;
        }

        foreach (var child in ProcStat.Children(pid))
        {
            if (ProcStat.IsAlive(child))
            {
                AddTree(child, found);
            }
        }
    }

    /// <summary>True when the environment of <paramref name="pid"/> holds <paramref name="needle"/> (<c>NAME=VALUE\0</c>) as a whole entry.</summary>
    internal static bool HasMarker(int pid, byte[] needle) => ReadMarker(pid, needle) == MarkerRead.Found;

    /// <summary>Whether the environment of <paramref name="pid"/> holds <paramref name="needle"/>, or read empty.</summary>
    internal static MarkerRead ReadMarker(int pid, byte[] needle)
    {
        byte[] environment;
        try
        {
            environment = File.ReadAllBytes(ProcStat.Directory(pid) + "/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return MarkerRead.Absent;
        }

        if (environment.Length == 0)
        {
            return MarkerRead.Empty;
        }

        return Contains(environment, needle) ? MarkerRead.Found : MarkerRead.Absent;
    }

    private static bool Contains(byte[] environment, byte[] needle)
    {
        var span = environment.AsSpan();
        var at = span.IndexOf(needle);
        while (at > 0 && span[at - 1] != 0)
        {
            var next = span[(at + 1)..].IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return at >= 0;
    }
}
