using Flowline.Execution;

namespace Flowline.Scheduling;

/// <summary>
/// Retries (issue 13, docs/retries.md). A failed attempt that may be retried is not settled: the step gives back its
/// slot, its pool unit and its limit, waits out its delay on the run's clock, then goes back to the ready queue to
/// take them again like any ready step. Waiting holds nothing, so a step backing off from a busy service does not
/// keep others from running; the price is that a retry may wait for a free slot after its delay.
/// </summary>
internal sealed partial class WorkflowRun
{
    /// <summary>The attempt about to start, 1 unless the step is being retried.</summary>
    private int AttemptOf(int index) => _retries is { } retries && retries.Attempts[index] > 0 ? retries.Attempts[index] + 1 : 1;

    private bool IsRetrying(int index) => _retries is { } retries && retries.Attempts[index] > 0;

    /// <summary>Records the start of an attempt of a step with a <c>retry:</c> block, and marks it in the step's log.</summary>
    private void AttemptStarting(int index, int attempt, RetryOptions retry, StepPreparation preparation)
    {
        var retries = _retries ??= new RetryState(_steps.Count);
        retries.Attempts[index] = attempt;
        if (attempt == 1)
        {
            retries.Prepared[index] = preparation;
        }

        Context.Write(_steps[index].Id, LogStream.Info, $"── attempt {attempt} of {retry.Attempts} ──");
    }

    /// <summary>Whether a failed attempt is tried again (docs/retries.md "What is retried").</summary>
    private bool ShouldRetry(int index, int attempt, StepExecutionResult? outcome, bool timedOut)
    {
        var planned = _steps[index];
        if (planned.Step.Retry is not { } retry || attempt >= retry.Attempts || outcome is { CouldNotStart: true })
        {
            return false;
        }

        // A run that stops retries nothing, except a step that keeps running through a fatal failure (isolateErrors,
        // or started after it to report on it).
        if (Stopping && (_stop.Cause != StopCause.StepFailed || !(planned.Isolated || _startedAfterStop[index])))
        {
            return false;
        }

        if (retry.OnExitCodes is not { } codes)
        {
            return true;
        }

        var attemptTimedOut = timedOut || (outcome?.Metadata.TryGetValue("timedOut", out var flag) == true && flag is true);
        return !attemptTimedOut && outcome?.ExitCode is { } code && codes.Contains(code);
    }

    /// <summary>Starts the delay before the next attempt; the step stays running for the report and the graph.</summary>
    private void ScheduleRetry(int index, int attempt, StepResult failed)
    {
        var planned = _steps[index];
        var retry = planned.Step.Retry!;
        var retries = _retries!;
        retries.Waiting[index] = failed;
        var delay = retry.DelayBefore(attempt + 1);
        retries.Delaying++;
        var token = planned.Isolated || _startedAfterStop[index] ? _abort.Token : _failFast.Token;
        var wait = delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, token);

        // Written once the timer exists: whoever reads the line (a test on a fake clock) may move time on at once.
        Context.Write(planned.Id, LogStream.Info, $"attempt {attempt} of {retry.Attempts} failed: {FirstLine(failed.Error)}; attempt {attempt + 1} starts in {Durations.Format(delay)}");
        if (wait.IsCompleted)
        {
            RetryDue(index, wait);
            return;
        }

        var flight = new InFlight(this, index, null, wait);
        wait.ContinueWith(
            static (_, state) => ((InFlight)state!).Post(),
            flight,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>A retry delay ended: the step is ready again, or, when the run stopped meanwhile, cancelled at once.</summary>
    private void RetryDue(int index, Task wait)
    {
        var retries = _retries!;
        retries.Delaying--;
        var failed = retries.Waiting[index]!;
        retries.Waiting[index] = null;
        var planned = _steps[index];
        var stopped = wait.IsCanceled
            || _stop.Cause is StopCause.Cancelled or StopCause.TimedOut
            || (Stopping && !(planned.Isolated || _startedAfterStop[index]));
        if (stopped)
        {
            var now = _time.GetUtcNow();
            Settle(index, failed with
            {
                Status = StepStatus.Cancelled,
                Error = $"cancelled: {_stop.Reason()} while waiting to retry (attempt {retries.Attempts[index]} failed: {FirstLine(failed.Error)})",
                EndTime = now,
                ExecutionTime = now - retries.FirstStarts[index],
            });
            Release(index);
            return;
        }

        _ready.Enqueue(index, _priorities[index]);
    }

    private static string FirstLine(string? text)
    {
        if (text is null)
        {
            return "no reason given";
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r', '.');
    }
}
