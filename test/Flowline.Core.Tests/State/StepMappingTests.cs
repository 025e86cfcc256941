using Flowline.State;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

public sealed class StepMappingTests
{
    private static readonly StepResult Completed = new()
    {
        Status = StepStatus.Completed,
        Output = new Dictionary<string, object?> { ["version"] = "1.2.3" },
        ExecutionTime = TimeSpan.FromSeconds(2),
        ParallelGroup = 1,
        StartTime = Start,
        EndTime = Start.AddSeconds(2),
        Attempts = 2,
        ExitCode = 0,
        Outputs = new Dictionary<string, string> { ["summary"] = "3 passed" },
    };

    [Fact]
    public void A_completed_result_survives_result_to_snapshot_to_record_and_back()
    {
        var record = StepMapping.ToRecord("R", StepMapping.ToSnapshot("compile", Completed, neverRan: false, outputLimitBytes: 0));
        var back = StepMapping.ToResult(StepMapping.ToSnapshot(record));

        Assert.Equal(("R", "compile", 1), (record.RunId, record.StepId, record.ParallelGroup));
        Assert.Equal(Completed with { Output = null }, back with { Output = null, Outputs = Completed.Outputs });
        Assert.Equal(Completed.Outputs, back.Outputs);
        Assert.Equal("1.2.3", Assert.IsType<Dictionary<string, object?>>(back.Output)["version"]);
    }

    [Fact]
    public void A_skip_reason_is_stored_as_the_error_and_read_back_as_the_skip_reason()
    {
        var skipped = new StepResult { Status = StepStatus.Skipped, SkipReason = "skipped: step 'a' failed", ParallelGroup = 1 };

        var stored = StepMapping.ToSnapshot("b", skipped, neverRan: false, outputLimitBytes: 0);
        var back = StepMapping.ToResult(stored);

        Assert.Equal("skipped: step 'a' failed", stored.Error);
        Assert.Equal((StepStatus.Skipped, null, "skipped: step 'a' failed"), (back.Status, back.Error, back.SkipReason));
    }

    [Fact]
    public void A_step_that_never_ran_because_the_run_stopped_is_stored_as_cancelled_without_its_output()
    {
        var stopped = Completed with { Status = StepStatus.Skipped, Attempts = 0, SkipReason = "skipped: the run was cancelled" };

        var stored = StepMapping.ToSnapshot("c", stopped, neverRan: true, outputLimitBytes: 0);

        Assert.Equal((StepStatus.Cancelled, 0, null, 0), (stored.Status, stored.Attempts, stored.Output, stored.Outputs.Count));
        Assert.Equal("skipped: the run was cancelled", stored.Error);
    }
}
