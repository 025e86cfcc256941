using Flowline.Execution;

namespace Flowline.Scheduling;

/// <summary>What an executor's finished task means for its step: completed, failed, timed out or cancelled, and why.</summary>
internal static class StepOutcome
{
    public static (StepStatus Status, StepExecutionResult? Outcome, string? Error) Of(
        PlannedStep step,
        Task<StepExecutionResult> task,
        bool timedOut,
        bool cancelled,
        RunStop stop,
        WorkflowContext context)
    {
        StepExecutionResult? outcome = null;
        string? error;
        if (task.IsCompletedSuccessfully)
        {
            outcome = task.Result;
            error = outcome is null ? $"the '{step.Step.Type}' executor returned no result" : outcome.Error;
        }
        else if (task.IsCanceled)
        {
            error = "the executor was cancelled";
        }
        else
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            error = exception.Message;
            if (!cancelled && !timedOut)
            {
                context.Write(step.Id, LogStream.Info, $"executor threw {exception.GetType().Name}: {exception.Message}");
            }
        }

        if (outcome is { Success: true })
        {
            return (StepStatus.Completed, outcome, error);
        }

        if (timedOut && !cancelled)
        {
            return (StepStatus.Failed, outcome, $"timed out after {Durations.Format(step.EngineTimeout!.Value)}");
        }

        if (cancelled)
        {
            return (StepStatus.Cancelled, outcome, "cancelled: " + stop.Reason());
        }

        return (StepStatus.Failed, outcome, error ?? $"step '{step.Id}' failed without giving a reason");
    }
}
