using System.Collections.Concurrent;

namespace Flowline.Core.Tests.Binding;

/// <summary>Runs YAML workflows end to end: real <c>sh</c> processes for script steps, a recorder for agent and custom steps.</summary>
internal static class BindingKit
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static WorkflowDefinition Load(string yaml)
    {
        var load = WorkflowLoader.Parse(yaml, "test.yaml");
        Assert.True(load.Success, string.Join("\n", load.Diagnostics));
        return load.Definition!;
    }

    public static async Task<WorkflowResult> RunAsync(string yaml, ExecutionOptions? options = null, RecordingExecutor? recorder = null)
    {
        var runner = new WorkflowRunner();
        recorder ??= new RecordingExecutor("agent");
        runner.RegisterStepExecutor(recorder.Type, recorder);
        return await runner.ExecuteAsync(Load(yaml), options).WaitAsync(HangGuard);
    }

    public static ExecutionOptions Vars(params (string Name, object? Value)[] variables) =>
        new() { Variables = variables.ToDictionary(v => v.Name, v => v.Value) };

    public static StepResult Step(this WorkflowResult result, string id) => result.StepResults[id];

    public static string? Out(this WorkflowResult result, string id) => result.StepResults[id].Output as string;
}

/// <summary>Records the (rendered) step each call receives; succeeds unless the step id starts with "fail".</summary>
internal sealed class RecordingExecutor(string type, Func<WorkflowStep, StepExecutionContext, StepExecutionResult>? body = null) : StepExecutor
{
    public ConcurrentDictionary<string, WorkflowStep> Steps { get; } = new();

    public override string Type => type;

    public string Prompt(string stepId) => ((AgentStepConfig)Steps[stepId].Config).Prompt!;

    public override Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
    {
        Steps[step.Id] = step;
        return Task.FromResult(body?.Invoke(step, context) ?? (step.Id.StartsWith("fail", StringComparison.Ordinal)
            ? StepExecutionResult.Failed("failed on purpose")
            : StepExecutionResult.Succeeded("ok")));
    }
}
