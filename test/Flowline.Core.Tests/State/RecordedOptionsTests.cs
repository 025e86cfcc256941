using System.Text.Json;
using Flowline.State;

namespace Flowline.Core.Tests.State;

public sealed class RecordedOptionsTests
{
    private static readonly WorkflowDefinition Workflow = new()
    {
        Name = "build",
        Version = "1.0.0",
        Steps =
        [
            new WorkflowStep { Id = "compile", Name = "compile", Type = "script", Config = new CustomStepConfig() },
            new WorkflowStep { Id = "test", Name = "test", Type = "script", Config = new CustomStepConfig(), DependsOn = ["compile"] },
        ],
    };

    [Fact]
    public void What_a_run_writes_reads_back_as_the_same_options()
    {
        var snapshot = new WorkflowSnapshot { RunId = "01OLD", WorkflowName = "build", WorkflowVersion = "1.0.0" };
        var options = new ExecutionOptions
        {
            ContinueOnError = true,
            ParallelEnabled = false,
            MaxConcurrency = 3,
            Timeout = TimeSpan.FromSeconds(90),
            ResumeFrom = snapshot,
        };

        var read = RecordedOptions.Read(RecordedOptions.Write(Workflow, options));

        Assert.Equal((true, (bool?)false, (int?)3, (TimeSpan?)TimeSpan.FromSeconds(90), "01OLD"), (read.ContinueOnError, read.ParallelEnabled, read.MaxConcurrency, read.Timeout, read.ResumedFrom));
        Assert.Equal(["compile", "test"], read.DependsOn.Keys);
        Assert.Equal(["compile"], read.DependsOn["test"]);
        Assert.Empty(read.DependsOn["compile"]);
    }

    [Fact]
    public void The_stored_json_keeps_the_keys_and_order_older_flowlines_wrote_and_read()
    {
        var written = RecordedOptions.Write(Workflow, new ExecutionOptions { MaxConcurrency = 2, Timeout = TimeSpan.FromMilliseconds(1500) });

        Assert.Equal(["maxConcurrency", "timeoutMs", "dependsOn"], written.Keys);
        Assert.Equal("""{"compile":[],"test":["compile"]}""", JsonSerializer.Serialize(written["dependsOn"]));
        Assert.Equal(1500, written["timeoutMs"].GetInt64());
    }

    [Fact]
    public void A_plain_run_records_only_its_graph_and_reads_back_as_defaults()
    {
        var read = RecordedOptions.Read(RecordedOptions.Write(Workflow, new ExecutionOptions()));

        Assert.Equal(new RecordedOptions { DependsOn = read.DependsOn }, read);
        Assert.Equal(2, read.DependsOn.Count);
    }

    [Fact]
    public void Values_of_the_wrong_kind_read_as_not_set()
    {
        var options = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{"continueOnError":"yes","parallelEnabled":1,"maxConcurrency":"4","timeoutMs":true,"resumedFrom":7,"dependsOn":[]}""")!;

        Assert.Equal(new RecordedOptions(), RecordedOptions.Read(options));
    }
}
