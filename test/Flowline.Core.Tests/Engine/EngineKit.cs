using Flowline.Testing;

namespace Flowline.Core.Tests.Engine;

/// <summary>Builders shared by the engine tests.</summary>
internal static class EngineKit
{
    /// <summary>Guards awaits so a scheduling bug fails the test instead of hanging it; never used to "wait long enough".</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    public static WorkflowStep Step(string id, params string[] dependsOn) => new()
    {
        Id = id,
        Name = id,
        Type = "fake",
        Config = new CustomStepConfig(),
        DependsOn = dependsOn,
    };

    public static WorkflowStep WithParallel(this WorkflowStep step, StepParallelOptions parallel) => step with { Parallel = parallel };

    public static WorkflowDefinition Workflow(params WorkflowStep[] steps) => new()
    {
        Name = "test",
        Version = "1.0.0",
        Steps = steps,
    };

    public static WorkflowDefinition Workflow(WorkflowParallelOptions parallel, params WorkflowStep[] steps) =>
        Workflow(steps) with { Parallel = parallel };

    public static WorkflowRunner Runner(StepExecutor executor, TimeProvider? time = null)
    {
        var runner = new WorkflowRunner(time);
        runner.RegisterStepExecutor(executor);
        return runner;
    }

    public static async Task<T> Within<T>(this Task<T> task) => await task.WaitAsync(HangGuard);

    public static async Task Within(this Task task) => await task.WaitAsync(HangGuard);

    public static Task<StepExecutionResult> Fail(string error) => Task.FromResult(StepExecutionResult.Failed(error));

    /// <summary>Completes when <paramref name="stepId"/> has finished, as seen by the runner.</summary>
    public static Task<StepResult> WhenFinished(this WorkflowRunner runner, string stepId)
    {
        var finished = new TaskCompletionSource<StepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.StepFinished += (_, e) =>
        {
            if (e.StepId == stepId)
            {
                finished.TrySetResult(e.Result);
            }
        };
        return finished.Task;
    }

    public static int IndexOf(this IReadOnlyList<FakeStepEvent> events, string stepId, bool isStart)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].StepId == stepId && events[i].IsStart == isStart)
            {
                return i;
            }
        }

        return -1;
    }
}
