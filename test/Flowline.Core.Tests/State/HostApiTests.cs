using Flowline.State;

namespace Flowline.Core.Tests.State;

/// <summary>The small public members a host such as the CLI uses instead of Core's internals (issue 11).</summary>
public sealed class HostApiTests
{
    [Fact]
    public void A_log_line_reads_back_its_time_stream_and_text_and_a_hand_written_line_reads_as_info()
    {
        var written = RunLogLine.Parse("2026-11-26T02:34:16.123Z err warning: unused variable");
        var byHand = RunLogLine.Parse("just text");

        Assert.Equal(new RunLogLine(new DateTimeOffset(2026, 11, 26, 2, 34, 16, 123, TimeSpan.Zero), LogStream.Stderr, "warning: unused variable"), written);
        Assert.Equal(new RunLogLine(null, LogStream.Info, "just text"), byHand);
    }

    [Fact]
    public void New_run_ids_are_ulids_that_sort_in_the_order_they_were_made()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => RunRecord.NewId()).ToList();

        Assert.All(ids, id => Assert.Equal(26, id.Length));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(100, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
