using System.Collections.Concurrent;
using Flowline.Agents;

namespace Flowline.Core.Tests.Binding;

/// <summary>
/// Runs YAML workflows end to end: real <c>sh</c> processes for script steps, the real agent executor (workflows give
/// their agents the <c>echo</c> provider, whose output is the rendered prompt), a recorder for custom steps.
/// </summary>
internal static class BindingKit
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static WorkflowDefinition Load(string yaml)
    {
        var load = WorkflowLoader.Parse(yaml, "test.yaml");
        Assert.True(load.Success, string.Join("\n", load.Diagnostics));
        return load.Definition!;
    }

    /// <summary>Gives every agent name the echo provider; append to a workflow's top level.</summary>
    public const string EchoAgents = """

        agents:
          default:
            provider: echo
        """;

    public static async Task<WorkflowResult> RunAsync(string yaml, ExecutionOptions? options = null, RecordingExecutor? recorder = null)
    {
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new AgentStepExecutor(
            new AgentCatalogOptions { UseUserConfig = false, WorkflowDirectory = Path.GetTempPath() },
            processEnvironment: _ => null));
        if (recorder is not null)
        {
            runner.RegisterStepExecutor(recorder);
        }

        return await runner.ExecuteAsync(Load(yaml), options).WaitAsync(HangGuard);
    }

    public static ExecutionOptions Vars(params (string Name, object? Value)[] variables) =>
        new() { Variables = variables.ToDictionary(v => v.Name, v => v.Value) };

    public static StepResult Step(this WorkflowResult result, string id) => result.StepResults[id];

    public static string? Out(this WorkflowResult result, string id) => result.StepResults[id].Output as string;
}

/// <summary>Records the step each call receives; runs <c>body</c> or succeeds.</summary>
internal sealed class RecordingExecutor(string type, Func<WorkflowStep, StepExecutionContext, StepExecutionResult>? body = null) : StepExecutor
{
    public ConcurrentDictionary<string, WorkflowStep> Steps { get; } = new();

    public override string Type => type;

    public override Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
    {
        Steps[step.Id] = step;
        return Task.FromResult(body?.Invoke(step, context) ?? StepExecutionResult.Succeeded("ok"));
    }
}
