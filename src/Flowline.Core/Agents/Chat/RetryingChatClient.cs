using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Flowline.Agents.Chat;

/// <summary>
/// Retries one model request on transient failures (issue 5), logging every failed attempt. It sits inside the
/// function-invoking client, so a retry repeats one request, never a tool call. A stream is retried only while
/// it has produced nothing: once text has reached the log, a failure ends the step instead of repeating it.
/// Cancellation is never retried.
/// </summary>
internal sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _timeProvider;
    private readonly AgentLog _log;
    private readonly Random _random;

    public RetryingChatClient(IChatClient inner, RetryPolicy policy, TimeProvider timeProvider, AgentLog log, Random? random = null)
        : base(inner)
    {
        _policy = policy;
        _timeProvider = timeProvider;
        _log = log;
        _random = random ?? Random.Shared;
    }

    /// <summary>Requests sent so far, retries included.</summary>
    public int Attempts { get; private set; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            Attempts++;
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                await BackOffOrThrowAsync(ex, attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            Attempts++;
            var produced = false;
            Exception? failure = null;
            var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!produced && !cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
                    {
                        failure = ex;
                        break;
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    produced = true;
                    yield return updates.Current;
                }
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            await BackOffOrThrowAsync(failure, attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BackOffOrThrowAsync(Exception exception, int attempt, CancellationToken cancellationToken)
    {
        var failure = ProviderFailure.From(exception, _timeProvider);
        if (!failure.IsTransient)
        {
            throw new ProviderCallException(failure.Message, attempt, exception);
        }

        if (attempt >= _policy.MaxAttempts)
        {
            _log.Info(string.Create(CultureInfo.InvariantCulture,
                $"attempt {attempt} of {_policy.MaxAttempts} failed ({failure.Short}); giving up"));
            // An HTTP failure's message starts with its status already.
            var last = failure.Status is null ? $"({failure.Short}): {failure.Message}" : $": {failure.Message}";
            throw new ProviderCallException(
                string.Create(CultureInfo.InvariantCulture, $"still failing after {attempt} attempts{last}"),
                attempt,
                exception);
        }

        var delay = _policy.DelayBefore(attempt + 1, failure.RetryAfter, _random);
        var why = failure.RetryAfter is null ? "backoff" : "Retry-After";
        _log.Info(string.Create(CultureInfo.InvariantCulture,
            $"attempt {attempt} of {_policy.MaxAttempts} failed ({failure.Short}); retrying in {Durations.Format(delay)} ({why})"));
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
    }
}
