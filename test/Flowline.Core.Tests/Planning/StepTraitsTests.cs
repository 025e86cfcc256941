using Flowline.Testing;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Planning;

/// <summary>Issue 11: the engine knows a step only through its executor's traits.</summary>
public sealed class StepTraitsTests
{
    private static WorkflowStep CustomStep(string id, object timeout) =>
        Step(id) with { Config = new CustomStepConfig { Raw = new Dictionary<string, object?> { ["timeout"] = timeout } } };

    [Theory]
    [InlineData(2000L)]
    [InlineData("2s")]
    public async Task A_custom_step_config_timeout_is_enforced_by_the_engine(object timeout)
    {
        var time = new FakeTimeProvider();
        var fake = new FakeStepExecutor().Hold("slow");
        var runner = Runner(fake, time);

        var run = runner.ExecuteAsync(Workflow(CustomStep("slow", timeout), Step("next", "slow")));
        await fake.WhenStarted("slow").Within();
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await run.Within();

        Assert.Equal(StepStatus.Failed, result.StepResults["slow"].Status);
        Assert.Equal("timed out after 2s", result.StepResults["slow"].Error);
        Assert.Equal("skipped: step 'slow' failed", result.StepResults["next"].SkipReason);
    }

    [Fact]
    public async Task An_executor_that_enforces_its_own_timeout_is_not_cancelled_by_the_engine()
    {
        var time = new FakeTimeProvider();
        var executor = new SelfTimedExecutor();
        var runner = Runner(executor, time);

        var run = runner.ExecuteAsync(Workflow(CustomStep("slow", 1000L) with { Type = executor.Type }));
        await executor.Started.Task.Within();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(executor.Token.IsCancellationRequested);
        executor.Finish.SetResult();
        var result = await run.Within();

        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public void A_plan_reads_a_steps_templates_and_environment_from_its_traits()
    {
        var workflow = WorkflowLoader.Parse("""
            name: traits
            version: 1.0.0
            steps:
              - id: a
                name: a
                type: script
                config: { command: echo, args: [hi] }
              - id: b
                name: b
                type: script
                config: { command: echo, args: ["{{ steps.a.output }}"], env: { X: "{{ variables.x || 'y' }}" }, timeout: 5s }
            """, "traits.yaml").Definition!;

        var plan = new WorkflowRunner().Validate(workflow).Plan!;

        Assert.True(plan.CanRun);
        Assert.True(plan.TryGetStep("b", out var b));
        Assert.Equal(["a"], b.ImplicitDependencies);
        Assert.Equal(["a"], b.Dependencies);
        Assert.Equal(1, b.Level);
        Assert.Equal(TimeSpan.FromSeconds(5), b.Traits.Timeout);
        Assert.True(b.Traits.EnforcesTimeout);
        Assert.True(b.Traits.RunsProcess);
        Assert.Equal("{{ variables.x || 'y' }}", b.Traits.Environment["X"]);
        var template = Assert.Single(b.Traits.Templates);
        Assert.Equal(("/args/0", "config.args[0]", true), (template.Pointer, template.Label, template.RenderedByEngine));
        Assert.Equal(2, plan.LevelCount);
    }

    [Fact]
    public void A_plan_that_cannot_run_says_why_with_a_code_and_location()
    {
        var validation = WorkflowValidator.ValidateText("""
            name: cycle
            version: 1.0.0
            steps:
              - id: a
                name: a
                type: script
                dependsOn: [b]
                config: { command: "true" }
              - id: b
                name: b
                type: script
                config: { command: echo, args: ["{{ steps.a.output }}"] }
            """, "cycle.yaml");

        var problem = Assert.Single(validation.Plan!.Problems);
        Assert.False(validation.Plan.CanRun);
        Assert.Equal(DiagnosticCodes.DependencyCycle, problem.Code);
        Assert.Equal(new SourceLocation("cycle.yaml", 7, 16), problem.Location);
        Assert.Contains("'b' reads steps.a", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon", DiagnosticCodes.InvalidDuration)]
    [InlineData("0", DiagnosticCodes.NonPositiveTimeout)]
    [InlineData("99999999999999", DiagnosticCodes.TimeoutTooLarge)]
    public void The_validator_checks_a_custom_steps_timeout(string timeout, string code)
    {
        var validation = WorkflowValidator.ValidateText($$"""
            name: custom
            version: 1.0.0
            steps:
              - id: query
                name: query
                type: database
                config: { sql: "select 1", timeout: "{{timeout}}" }
            """, "custom.yaml", [new FakeStepExecutor(type: "database")]);

        var error = Assert.Single(validation.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(7, error.Location?.Line);
        Assert.Contains("timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_timeout_too_long_to_enforce_fails_the_run_before_any_step_instead_of_throwing()
    {
        var fake = new FakeStepExecutor();

        var result = await Runner(fake).ExecuteAsync(Workflow(Step("a"), CustomStep("b", 99_999_999_999_999L))).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains(DiagnosticCodes.TimeoutTooLarge, result.Error, StringComparison.Ordinal);
        Assert.Empty(fake.StartOrder);
    }

    [Fact]
    public async Task A_workflow_timeout_set_in_code_too_long_to_enforce_fails_the_run_instead_of_throwing()
    {
        var fake = new FakeStepExecutor();

        var result = await Runner(fake).ExecuteAsync(Workflow(Step("a")), new ExecutionOptions { Timeout = TimeSpan.FromDays(100) }).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("longer than the longest Flowline can enforce", result.Error, StringComparison.Ordinal);
        Assert.Empty(fake.StartOrder);
    }

    private sealed class SelfTimedExecutor : StepExecutor
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Token { get; private set; }

        public override string Type => "self-timed";

        public override StepTraits Describe(WorkflowStep step) => base.Describe(step) with { EnforcesTimeout = true };

        public override async Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            Started.SetResult();
            await Finish.Task;
            return StepExecutionResult.Succeeded();
        }
    }
}
