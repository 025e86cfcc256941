using Flowline.Core.Tests.Engine;
using Flowline.Testing;

namespace Flowline.Core.Tests.Execution.Secrets;

/// <summary>Secrets through the library: ExecutionOptions.Secrets, the secrets root, the masked log and results.</summary>
public sealed class SecretRunTests
{
    [Fact]
    public async Task A_declared_secret_without_a_value_fails_the_run_before_any_step_starts()
    {
        var executor = new FakeStepExecutor();
        var workflow = EngineKit.Workflow(EngineKit.Step("a")) with { Secrets = ["FLOWLINE_TEST_NEVER_SET"] };

        var result = await EngineKit.Runner(executor).ExecuteAsync(workflow).Within();

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Contains("'FLOWLINE_TEST_NEVER_SET'", result.Error, StringComparison.Ordinal);
        Assert.Empty(executor.StartOrder);
        Assert.Equal(["FLOWLINE_TEST_NEVER_SET"], WorkflowRunner.FindMissingSecrets(workflow));
        Assert.Empty(WorkflowRunner.FindMissingSecrets(workflow, new Dictionary<string, string> { ["FLOWLINE_TEST_NEVER_SET"] = "v" }));
    }

    [Fact]
    public async Task A_step_reads_the_value_while_its_log_output_and_error_show_it_masked()
    {
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new RenderingExecutor());
        var workflow = EngineKit.Workflow(EngineKit.Step("a") with { Type = "render" }) with { Secrets = ["API_KEY"] };
        var logs = new List<string>();
        runner.LogReceived += (_, e) => logs.Add(e.Entry.Text);

        var result = await runner.ExecuteAsync(workflow, new ExecutionOptions { Secrets = new Dictionary<string, string> { ["API_KEY"] = "k-12345" } }).Within();

        var step = result.StepResults["a"];
        Assert.Equal("rendered ***", step.Output);
        Assert.Contains("*** failed", step.Error, StringComparison.Ordinal);
        Assert.Contains("saw ***", logs);
        Assert.DoesNotContain(logs, l => l.Contains("k-12345", StringComparison.Ordinal));
        Assert.DoesNotContain("k-12345", runner.Context!.GetLogs().Select(l => l.Text));
    }

    private sealed class RenderingExecutor : StepExecutor
    {
        public override string Type => "render";

        public override Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
        {
            var value = context.Render("{{ secrets.API_KEY }}");
            context.Log("saw " + value);
            return Task.FromResult(new StepExecutionResult { Success = false, Output = "rendered " + value, Error = value + " failed" });
        }
    }
}
