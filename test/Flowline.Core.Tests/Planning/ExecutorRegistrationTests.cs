using Flowline.Testing;
using static Flowline.Core.Tests.Engine.EngineKit;

namespace Flowline.Core.Tests.Planning;

/// <summary>Issue 11: one registry, keyed by each executor's own type, seen by validation and runs alike.</summary>
public sealed class ExecutorRegistrationTests
{
    private const string AgentYaml = """
        name: ask
        version: 1.0.0
        steps:
          - id: ask
            name: Ask
            type: agent
            config: { agent: helper, prompt: "hello" }
        """;

    [Fact]
    public async Task An_executor_is_registered_under_its_own_type_and_the_runners_validation_knows_it()
    {
        var runner = new WorkflowRunner();
        var fake = new FakeStepExecutor(type: "database");
        runner.RegisterStepExecutor(fake);
        var workflow = Workflow(Step("migrate") with { Type = "database" });

        var validation = runner.Validate(workflow);
        var result = await runner.ExecuteAsync(validation.Plan!).Within();

        Assert.DoesNotContain(validation.Diagnostics, d => d.Code == DiagnosticCodes.UnknownStepType);
        Assert.Contains(new WorkflowValidator().Validate(workflow).Errors, d => d.Code == DiagnosticCodes.UnknownStepType);
        Assert.True(result.Success, result.Error);
        Assert.Equal(["migrate"], fake.StartOrder);
    }

    [Fact]
    public async Task A_validated_plan_is_run_as_it_is_without_describing_its_steps_again()
    {
        var executor = new CountingExecutor();
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(executor);
        var workflow = Workflow(Step("a") with { Type = executor.Type }, Step("b", "a") with { Type = executor.Type });

        var plan = runner.Validate(workflow).Plan!;
        var first = await runner.ExecuteAsync(plan).Within();
        var second = await runner.ExecuteAsync(workflow).Within();

        Assert.True(first.Success && second.Success, first.Error ?? second.Error);
        Assert.Equal(2, executor.Described);
    }

    [Fact]
    public async Task A_plan_from_a_standalone_validator_runs_with_the_runners_own_executors()
    {
        var plan = new WorkflowValidator([new FakeStepExecutor()]).Validate(Workflow(Step("a"))).Plan!;
        var mine = new FakeStepExecutor();

        var result = await Runner(mine).ExecuteAsync(plan).Within();

        Assert.True(result.Success, result.Error);
        Assert.Equal(["a"], mine.StartOrder);
    }

    [Fact]
    public void An_executor_without_a_type_is_refused_with_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => new WorkflowRunner().RegisterStepExecutor(new FakeStepExecutor(type: "")));

        Assert.Contains("Type is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_client_reaches_agent_steps_through_a_replacement_agent_executor()
    {
        using var model = new FakeChatClient("hi there");
        var runner = new WorkflowRunner();
        runner.RegisterChatClient("helper", model);
        runner.RegisterStepExecutor(new AgentStepExecutor());
        var workflow = WorkflowLoader.Parse(AgentYaml, "ask.yaml").Definition!;

        var result = await runner.ExecuteAsync(workflow, new ExecutionOptions { WorkingDirectory = Path.GetTempPath() }).Within();

        Assert.True(result.Success, result.Error);
        Assert.Equal("hi there", result.StepResults["ask"].Output);
        Assert.Single(model.Requests);
    }

    [Fact]
    public void Registering_a_chat_client_when_agent_steps_have_a_custom_executor_fails_loudly()
    {
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new FakeStepExecutor(type: "agent"));
        using var model = new FakeChatClient("unused");

        var error = Assert.Throws<InvalidOperationException>(() => runner.RegisterChatClient("helper", model));

        Assert.Contains("FakeStepExecutor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replacing_the_agent_executor_after_chat_clients_were_registered_fails_loudly()
    {
        var runner = new WorkflowRunner();
        using var model = new FakeChatClient("unused");
        runner.RegisterChatClient("helper", model);

        var error = Assert.Throws<InvalidOperationException>(() => runner.RegisterStepExecutor(new FakeStepExecutor(type: "agent")));

        Assert.Contains("could never reach agent steps", error.Message, StringComparison.Ordinal);
    }

    private sealed class CountingExecutor : StepExecutor
    {
        private int _described;

        public int Described => Volatile.Read(ref _described);

        public override string Type => "counting";

        public override StepTraits Describe(WorkflowStep step)
        {
            Interlocked.Increment(ref _described);
            return base.Describe(step);
        }

        public override Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(StepExecutionResult.Succeeded());
    }
}
