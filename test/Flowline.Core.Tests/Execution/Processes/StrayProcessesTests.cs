using System.Text;
using Flowline.Execution.Processes;

namespace Flowline.Core.Tests.Execution.Processes;

/// <summary>
/// Finding the processes a step left outside its process group (issue 18): a process caught in the middle of exec,
/// whose environment reads empty, is read again rather than taken for unmarked.
/// </summary>
public sealed class StrayProcessesTests
{
    [Fact]
    public void An_unsure_process_is_read_again_until_it_is_sure()
    {
        var reads = new Dictionary<int, int>();
        var unsure = new List<int> { 11, 12 };
        var pauses = 0;

        // 11 is sure at its second read, 12 at its first.
        StrayProcesses.LookAgain(unsure, pid => (reads[pid] = reads.GetValueOrDefault(pid) + 1) < (pid == 11 ? 2 : 1), () => pauses++);

        Assert.Empty(unsure);
        Assert.Equal(2, pauses);
        Assert.Equal(2, reads[11]);
        Assert.Equal(1, reads[12]);
    }

    [Fact]
    public void A_process_that_stays_unsure_is_given_up_after_a_bounded_number_of_reads()
    {
        var unsure = new List<int> { 21 };
        var pauses = 0;

        StrayProcesses.LookAgain(unsure, _ => true, () => pauses++);

        Assert.Equal([21], unsure);
        Assert.Equal(StrayProcesses.UnsureRounds, pauses);
    }

    [Fact]
    public void A_live_marked_process_is_found_and_an_unmarked_one_is_not()
    {
        var marker = StrayProcesses.NewMarker();
        using var marked = Sleep(marker);
        using var unmarked = Sleep(marker: null);
        try
        {
            var found = StrayProcesses.Find(marker);

            Assert.Contains(marked.Id, found);
            Assert.DoesNotContain(unmarked.Id, found);
            Assert.Equal(MarkerRead.Found, StrayProcesses.ReadMarker(marked.Id, Encoding.UTF8.GetBytes($"{StrayProcesses.Variable}={marker}\0")));
        }
        finally
        {
            marked.Kill();
            unmarked.Kill();
        }
    }

    [Fact]
    public void The_kernel_thread_flag_is_read_from_proc()
    {
        Assert.False(ProcStat.IsKernelThread(Environment.ProcessId));

        // kthreadd is pid 2 wherever the host's kernel threads are visible (not inside a pid namespace).
        if (File.Exists("/proc/2/stat") && File.ReadAllText("/proc/2/stat").StartsWith("2 (kthreadd)", StringComparison.Ordinal))
        {
            Assert.True(ProcStat.IsKernelThread(2));
        }
    }

    private static System.Diagnostics.Process Sleep(string? marker)
    {
        var info = new System.Diagnostics.ProcessStartInfo("sleep", "60") { UseShellExecute = false };
        if (marker is not null)
        {
            info.Environment[StrayProcesses.Variable] = marker;
        }

        return System.Diagnostics.Process.Start(info)!;
    }
}
