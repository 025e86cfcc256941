using Flowline.Execution.Processes;

namespace Flowline.State;

/// <summary>
/// Which process records a run, so a reader on the same machine can tell at once whether it is still alive (issue 18)
/// instead of waiting for its heartbeat to go stale. A pid alone is not enough: pids are reused, so the process's
/// start time goes with it; and the host id includes the boot id (after a reboot every old pid is dead) and the pid
/// namespace (two containers sharing one state folder have different processes behind the same pid).
/// </summary>
internal static class RunnerProcess
{
    private static readonly Lazy<string?> LocalHost = new(ReadHost);

    /// <summary>This machine, boot and pid namespace; null where it cannot be told (not Linux, no /proc).</summary>
    public static string? Host => LocalHost.Value;

    /// <summary>Stamps <paramref name="run"/> with this process; unchanged where processes cannot be told apart.</summary>
    public static RunRecord Stamp(RunRecord run)
    {
        var pid = Environment.ProcessId;
        return Host is { } host && ProcStat.TryReadStartTime(pid, out var start)
            ? run with { Host = host, ProcessId = pid, ProcessStartTime = start }
            : run;
    }

    /// <summary>
    /// True or false when the run was recorded by a process of this host, whose life can be checked; null when it was
    /// recorded elsewhere (or by an older Flowline), and only the heartbeat can tell.
    /// </summary>
    public static bool? IsAlive(RunRecord run)
    {
        if (run is not { Host: { } host, ProcessId: { } pid, ProcessStartTime: { } start } || host != Host)
        {
            return null;
        }

        return ProcStat.TryReadStartTime(pid, out var now) && now == start;
    }

    private static string? ReadHost()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var boot = Read("/proc/sys/kernel/random/boot_id");
        var machine = Read("/etc/machine-id") ?? Environment.MachineName;
        string? namespaces;
        try
        {
            namespaces = new FileInfo("/proc/self/ns/pid").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            namespaces = null;
        }

        return boot is null || namespaces is null ? null : $"{machine}/{boot}/{namespaces}";
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
