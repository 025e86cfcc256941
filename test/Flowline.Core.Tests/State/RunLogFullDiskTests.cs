using Flowline.State;

namespace Flowline.Core.Tests.State;

/// <summary>
/// A step log on a full disk (issue 18, item 2): <c>/dev/full</c> fails every write with ENOSPC, as a full file system
/// does. The write says so with a store error naming the way out; closing the log never throws, so settling the step
/// and disposing the recorder cannot end the run.
/// </summary>
public sealed class RunLogFullDiskTests
{
    [Fact]
    public void A_line_that_cannot_be_written_is_a_store_error_saying_the_disk_is_full()
    {
        using var writer = RunLogWriter.Open("/dev/full");

        var error = Assert.Throws<RunStoreException>(() => writer.WriteLine("a line"));

        Assert.Contains("The disk holding '/dev/full' is full", error.Message, StringComparison.Ordinal);
        Assert.Contains("'flowline runs prune'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_a_log_whose_lines_cannot_be_written_does_not_throw()
    {
        var writer = RunLogWriter.Open("/dev/full");
        Assert.Throws<RunStoreException>(() => writer.WriteLine(new string('x', 10_000)));

        writer.Dispose();
        writer.Dispose();
    }
}
