using Flowline.Loading;
using static Flowline.DiagnosticText;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>A step's <c>retry:</c> block (issue 13, docs/retries.md).</summary>
    private sealed partial class Run
    {
        private void Retry(WorkflowStep step, string? stepId)
        {
            if (step.Retry is not { } retry)
            {
                return;
            }

            if (retry.Attempts is < 1 or > RetryOptions.MaxAttempts && _source?.WasRejected(Pointer(step, "/retry/attempts")) != true
                && _source?.WasRejected(Pointer(step, "/retry")) != true)
            {
                var missing = retry.Attempts == 0 && _source?.Contains(Pointer(step, "/retry/attempts")) == false;
                Error(DiagnosticCodes.RetryAttemptsOutOfRange, Pointer(step, missing ? "/retry" : "/retry/attempts"), stepId, missing
                    ? $"The 'retry' block of {Owner(step, capital: false)} has no 'attempts'; say how many tries in all, such as 'attempts: 3' (1 to {RetryOptions.MaxAttempts})."
                    : $"'retry.attempts' of {Owner(step, capital: false)} is {retry.Attempts}; it is the number of tries in all, the first included, from 1 to {RetryOptions.MaxAttempts}.");
            }

            RetryDelay(retry.Delay, step, stepId, "delay");
            RetryDelay(retry.MaxDelay, step, stepId, "maxDelay");
            if (retry.Backoff is { } backoff && (!double.IsFinite(backoff) || backoff < 1 || backoff > 100))
            {
                Error(DiagnosticCodes.InvalidRetryBackoff, Pointer(step, "/retry/backoff"), stepId,
                    $"'retry.backoff' of {Owner(step, capital: false)} is {backoff}; it multiplies each later delay and must be from 1 (constant delays, the default) to 100, such as 2 to double them.");
            }

            if (retry.OnExitCodes is { } codes && (codes.Count == 0 || codes.Contains(0)))
            {
                Error(DiagnosticCodes.InvalidRetryExitCodes, Pointer(step, "/retry/onExitCodes"), stepId, codes.Count == 0
                    ? $"'retry.onExitCodes' of {Owner(step, capital: false)} is empty, so no failure would be retried; list the exit codes to retry, such as [75], or remove it to retry any failure."
                    : $"'retry.onExitCodes' of {Owner(step, capital: false)} lists 0, which is success and never retried; list only failing exit codes, such as [75].");
            }
        }

        private void RetryDelay(TimeSpan? delay, WorkflowStep step, string? stepId, string field)
        {
            if (delay is { } value && (value < TimeSpan.Zero || value > Durations.MaxTimeout))
            {
                Error(DiagnosticCodes.InvalidRetryDelay, Pointer(step, "/retry/" + field), stepId, value < TimeSpan.Zero
                    ? $"'retry.{field}' of {Owner(step, capital: false)} is {Durations.FormatMilliseconds(value)}; a delay cannot be negative. Give 0 to retry at once, or a duration such as 2s."
                    : $"'retry.{field}' of {Owner(step, capital: false)} is longer than the longest wait Flowline can enforce, {Durations.MaxTimeoutText}; give a shorter one.");
            }
        }
    }
}
