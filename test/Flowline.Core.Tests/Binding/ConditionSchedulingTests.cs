using Flowline.Binding;
using static Flowline.Core.Tests.Binding.BindingKit;

namespace Flowline.Core.Tests.Binding;

/// <summary>Implicit dependencies, condition skips and which steps still run after a fatal failure.</summary>
public sealed class ConditionSchedulingTests
{
    private const string ReaderFirst = """
        name: implicit
        version: 1.0.0
        parallel: { enabled: true, defaultMaxConcurrency: 4 }
        steps:
          - id: reader
            name: reader
            type: script
            config:
              command: printf
              args: ["%s", "got {{ steps.writer.output }}"]
          - id: writer
            name: writer
            type: script
            config:
              command: sh
              args: ["-c", "sleep 0.2; echo written"]
        """;

    [Fact]
    public async Task A_step_reading_another_steps_output_runs_after_it_without_dependsOn()
    {
        var result = await RunAsync(ReaderFirst);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal("got written", result.Out("reader"));
        Assert.True(result.Step("reader").StartTime >= result.Step("writer").EndTime);
        Assert.Equal(1, result.Step("reader").ParallelGroup);
    }

    [Fact]
    public void Implicit_dependencies_are_computed_from_conditions_and_templates_for_flowline_graph()
    {
        var definition = Load("""
            name: implicit
            version: 1.0.0
            steps:
              - id: a
                name: a
                type: script
                config: { command: "true" }
              - id: b
                name: b
                type: script
                dependsOn: [a]
                condition: "steps.a.success && steps['c'].output !== ''"
                config: { command: echo, args: ["{{ steps.a.output }}"], env: { X: "{{ steps.d.output }}" } }
              - id: c
                name: c
                type: script
                config: { command: "true" }
              - id: d
                name: d
                type: script
                config: { command: echo, args: ["{{ steps.d.output }} {{ steps.nope.output }}"] }
            """);

        var implicitDependencies = new WorkflowValidator().Validate(definition).ImplicitDependencies;

        Assert.Equal(["b"], implicitDependencies.Keys);
        Assert.Equal(["c", "d"], implicitDependencies["b"]);
    }

    [Fact]
    public async Task Dependents_of_a_step_skipped_by_its_condition_still_run_and_can_test_it()
    {
        var result = await RunAsync("""
            name: skip
            version: 1.0.0
            steps:
              - id: optional
                name: optional
                type: script
                condition: "variables.enabled"
                config: { command: "true" }
              - id: after
                name: after
                type: script
                dependsOn: [optional]
                config:
                  command: printf
                  args: ["%s", "{{ steps.optional.status }} {{ steps.optional.success }} {{ success() }}"]
            """);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(StepStatus.Skipped, result.Step("optional").Status);
        Assert.Equal("skipped true true", result.Out("after"));
    }

    private const string AfterFailure = """
        name: after-failure
        version: 1.0.0
        parallel: { enabled: false }
        steps:
          - id: build
            name: build
            type: script
            config: { command: sh, args: ["-c", "exit 1"] }
          - id: package
            name: package
            type: script
            dependsOn: [build]
            config: { command: "true" }
          - id: on-failure
            name: on-failure
            type: script
            dependsOn: [package]
            condition: "failure()"
            config: { command: echo, args: ["failure seen"] }
          - id: cleanup
            name: cleanup
            type: script
            dependsOn: [package]
            condition: "always()"
            config: { command: echo, args: ["cleaned {{ steps.package.status }}"] }
          - id: plain
            name: plain
            type: script
            dependsOn: [package]
            config: { command: "true" }
          - id: on-success
            name: on-success
            type: script
            dependsOn: [package]
            condition: "success()"
            config: { command: "true" }
          - id: unrelated
            name: unrelated
            type: script
            condition: "failure()"
            config: { command: "true" }
        """;

    [Fact]
    public async Task After_a_fatal_failure_only_steps_whose_condition_reads_an_outcome_and_holds_still_run()
    {
        var result = await RunAsync(AfterFailure);

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal("step 'build' failed: 'sh' exited with code 1.", result.Error);
        Assert.Equal("skipped: step 'build' failed", result.Step("package").SkipReason);
        Assert.Equal("failure seen", result.Out("on-failure"));
        Assert.Equal("cleaned skipped", result.Out("cleanup"));
        Assert.Equal("skipped: step 'build' failed", result.Step("plain").SkipReason);
        Assert.Equal("skipped: step 'build' failed", result.Step("on-success").SkipReason);
        Assert.False(result.Step("package").Success);
    }

    [Fact]
    public async Task Failure_is_true_only_when_a_step_this_one_depends_on_failed()
    {
        var result = await RunAsync(AfterFailure);

        // 'unrelated' depends on nothing, so the failure of 'build' is not its concern (GitHub's needs semantics).
        Assert.Equal("skipped: condition 'failure()' was false", result.Step("unrelated").SkipReason);
    }

    [Fact]
    public async Task A_tolerated_failure_still_counts_for_failure_and_success_of_its_dependents()
    {
        var result = await RunAsync("""
            name: tolerated
            version: 1.0.0
            steps:
              - id: lint
                name: lint
                type: script
                continueOnError: true
                config: { command: sh, args: ["-c", "exit 2"] }
              - id: report-lint
                name: report-lint
                type: script
                dependsOn: [lint]
                condition: "failure()"
                config: { command: echo, args: ["lint failed with {{ steps.lint.exitCode }}"] }
              - id: celebrate
                name: celebrate
                type: script
                dependsOn: [lint]
                condition: "success()"
                config: { command: "true" }
            """);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal("lint failed with 2", result.Out("report-lint"));
        Assert.Equal("skipped: condition 'success()' was false", result.Step("celebrate").SkipReason);
    }

    [Fact]
    public async Task A_cancelled_run_starts_no_step_even_with_always()
    {
        using var cts = new CancellationTokenSource();
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new RecordingExecutor("hold", (_, _) =>
        {
            cts.Cancel();
            return StepExecutionResult.Succeeded();
        }));
        var definition = Load("""
            name: cancel
            version: 1.0.0
            steps:
              - id: first
                name: first
                type: hold
                config: {}
              - id: cleanup
                name: cleanup
                type: script
                dependsOn: [first]
                condition: "always()"
                config: { command: "true" }
            """);

        var result = await runner.ExecuteAsync(definition, null, cts.Token);

        Assert.Equal(WorkflowStatus.Cancelled, result.Status);
        Assert.Equal("skipped: workflow cancelled", result.Step("cleanup").SkipReason);
    }

    [Fact]
    public async Task A_condition_that_does_not_parse_fails_its_step_with_the_position_when_not_validated()
    {
        var step = new WorkflowStep
        {
            Id = "deploy",
            Name = "deploy",
            Type = "script",
            Config = new ScriptStepConfig { Command = "true" },
            Condition = "env.NODE_ENV = 'production'",
        };

        var result = await new WorkflowRunner().ExecuteAsync(new WorkflowDefinition { Name = "w", Version = "1.0.0", Steps = [step] });

        Assert.Equal(StepStatus.Failed, result.Step("deploy").Status);
        Assert.Equal(
            "condition is not valid: FL3001 at column 14: '=' is not an operator: compare with '===' (or '==')\nenv.NODE_ENV = 'production'\n             ^",
            result.Step("deploy").Error);
    }

    [Fact]
    public async Task Steps_that_read_each_other_form_a_cycle_and_the_run_does_not_start()
    {
        var result = await RunAsync("""
            name: cycle
            version: 1.0.0
            steps:
              - id: a
                name: a
                type: script
                config: { command: echo, args: ["{{ steps.b.output }}"] }
              - id: b
                name: b
                type: script
                dependsOn: [a]
                config: { command: "true" }
            """);

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("cycle", result.Error, StringComparison.Ordinal);
    }
}
