using System.Globalization;

namespace Flowline.Execution.Processes;

/// <summary>Reading <c>/proc/PID/stat</c> and <c>/proc/PID/task/TID/children</c> (Linux).</summary>
internal static class ProcStat
{
    /// <summary>The state letter, process group and session of the process behind <paramref name="procDirectory"/>.</summary>
    public static bool TryRead(string procDirectory, out char state, out int group, out int session)
    {
        group = 0;
        session = 0;
        state = '?';
        if (FieldsAfterName(procDirectory) is not { } fields)
        {
            return false; // the process vanished meanwhile
        }

        Span<Range> parts = stackalloc Range[5];
        var span = fields.AsSpan();
        if (span.Split(parts, ' ') < 5)
        {
            return false;
        }

        state = span[parts[0]].Length == 1 ? span[parts[0]][0] : '?';
        return int.TryParse(span[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out group)
            && int.TryParse(span[parts[3]], NumberStyles.None, CultureInfo.InvariantCulture, out session);
    }

    /// <summary>Whether <paramref name="pid"/> is a kernel thread (PF_KTHREAD in the flags of <c>/proc/PID/stat</c>), whose environment always reads empty.</summary>
    public static bool IsKernelThread(int pid)
    {
        const uint KernelThreadFlag = 0x00200000;

        // After "(comm)": state ppid pgrp session tty_nr tpgid flags, so flags is the seventh.
        Span<Range> parts = stackalloc Range[8];
        var fields = FieldsAfterName(Directory(pid)).AsSpan();
        return fields.Split(parts, ' ') >= 7
            && uint.TryParse(fields[parts[6]], NumberStyles.None, CultureInfo.InvariantCulture, out var flags)
            && (flags & KernelThreadFlag) != 0;
    }

    /// <summary>
    /// The start time of <paramref name="pid"/> (field 22 of <c>/proc/PID/stat</c>, clock ticks after boot) when it
    /// exists and is not a zombie: with the pid it names one process, however often pids are reused.
    /// </summary>
    public static bool TryReadStartTime(int pid, out long startTicks)
    {
        startTicks = 0;

        // After "(comm)" field 3 (state) comes first, so field 22 is the 20th.
        Span<Range> parts = stackalloc Range[21];
        var fields = FieldsAfterName(Directory(pid)).AsSpan();
        return fields.Split(parts, ' ') >= 20
            && fields[parts[0]] is not ("Z" or "X")
            && long.TryParse(fields[parts[19]], NumberStyles.None, CultureInfo.InvariantCulture, out startTicks);
    }

    /// <summary>
    /// The fields of <c>/proc/PID/stat</c> after "pid (comm)", trimmed (comm may contain spaces and parentheses, so
    /// after the last ')'); null when the process is gone or the line is not one.
    /// </summary>
    private static string? FieldsAfterName(string procDirectory)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(procDirectory + "/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var close = stat.LastIndexOf(')');
        return close < 0 ? null : stat[(close + 1)..].Trim();
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
        => TryRead(Directory(pid), out var state, out _, out _) && state is not ('Z' or 'X');

    /// <summary>The children of every thread of <paramref name="pid"/> (orphans adopted by a subreaper go to its first live thread).</summary>
    public static List<int> Children(int pid)
    {
        var children = new List<int>();
        string[] threads;
        try
        {
            threads = System.IO.Directory.GetDirectories(Directory(pid) + "/task");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return children;
        }

        foreach (var thread in threads)
        {
            string text;
            try
            {
                text = File.ReadAllText(thread + "/children");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    children.Add(child);
                }
            }
        }

        return children;
    }

    /// <summary>
    /// The children of this process's main thread: where the kernel re-parents the orphans a subreaper adopts (its
    /// first live thread), so one read finds them, however many threads the runtime has.
    /// </summary>
    public static List<int> AdoptedChildren()
    {
        var self = Environment.ProcessId;
        var children = new List<int>();
        string text;
        try
        {
            text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{self}/task/{self}/children"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Children(self);
        }

        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
            {
                children.Add(child);
            }
        }

        return children;
    }

    /// <summary><c>/proc/PID</c>.</summary>
    public static string Directory(int pid) => string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}");
}
