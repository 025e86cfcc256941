using Microsoft.Extensions.Time.Testing;

namespace Flowline.Core.Tests.Binding;

/// <summary>The <c>workflow</c> root (issue 19): its name and version, the run's start and the step being rendered.</summary>
public sealed class WorkflowRootTests
{
    private const string Workflow = """
        name: roots
        version: 2.0.0
        steps:
          - id: stamp
            name: stamp
            type: script
            config:
              command: echo
              args: ["{{ workflow.name }}@{{ workflow.version }} {{ workflow.currentStepId }} {{ workflow.startTime }}"]
          - id: later
            name: later
            type: script
            dependsOn: [stamp]
            config:
              command: echo
              args: ["{{ workflow.currentStepId }} {{ contains(steps.stamp.output, workflow.startTime) }}"]
        """;

    [Fact]
    public async Task A_script_argument_reads_the_runs_start_and_the_step_being_rendered()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 23, 40, 123, TimeSpan.FromHours(2)));
        var result = await new WorkflowRunner(time).ExecuteAsync(BindingKit.Load(Workflow)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal("roots@2.0.0 stamp 2026-12-05T08:23:40.123Z", ((string)result.StepResults["stamp"].Output!).Trim());
        Assert.Equal("later true", ((string)result.StepResults["later"].Output!).Trim());
    }

    [Fact]
    public void Validation_accepts_the_start_time_and_the_current_step_id()
    {
        var result = WorkflowValidator.ValidateText(Workflow, "flow.yaml");

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Validation_still_rejects_an_unknown_workflow_field_and_suggests_the_closest()
    {
        var result = WorkflowValidator.ValidateText(Workflow.Replace("{{ workflow.currentStepId }} {{ workflow.startTime", "{{ workflow.currentStep }} {{ workflow.startTime", StringComparison.Ordinal), "flow.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("FL3014", error.Code);
        Assert.Equal("stamp", error.StepId);
        Assert.Contains("'workflow' has no field 'currentStep'. Did you mean 'currentStepId'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("'startTime'", error.Message, StringComparison.Ordinal);
    }
}
