namespace Flowline.Execution.Slurm;

/// <summary>
/// What Slurm says about the jobs Flowline follows, from <b>one</b> <c>squeue</c> per interval for all of them
/// (never one query per job, never <c>sacct</c> in the loop: docs/slurm.md "Following a job"), and the batched
/// <c>scancel</c>. One per executor; its loop runs while it follows at least one job.
/// </summary>
internal sealed class SlurmQueue(SlurmClient client, TimeProvider timeProvider)
{
    /// <summary>The shortest time between two <c>squeue</c> calls, however many jobs ask (at most one per second).</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan CancelGathering = TimeSpan.FromMilliseconds(20);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TimeSpan> _followed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toCancel = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toKill = new(StringComparer.Ordinal);
    private readonly string _user = Environment.UserName;
    private IReadOnlyDictionary<string, SlurmJobState> _latest = new Dictionary<string, SlurmJobState>();
    private TaskCompletionSource _refreshed = NewSignal();
    private TaskCompletionSource _wake = NewSignal();
    private Task? _loop;
    private Task? _cancelling;
    private long _lastAnswer = -1;

    // When the last squeue call started, kept across the loop's restarts so that a job followed just after the loop
    // stopped does not bring a second call within the minimum interval.
    private long _lastCall = long.MinValue;

    /// <summary>When the <c>squeue</c> call that gave the last answer started (timestamp of the <see cref="TimeProvider"/>), or -1.</summary>
    public long LastAnswer => Interlocked.Read(ref _lastAnswer);

    /// <summary>Starts following <paramref name="jobId"/>, asking about it every <paramref name="interval"/> (at least one second).</summary>
    public void Follow(string jobId, TimeSpan interval)
    {
        lock (_lock)
        {
            _followed[jobId] = interval < MinimumInterval ? MinimumInterval : interval;
            _loop ??= Task.Run(LoopAsync);
        }
    }

    /// <summary>Stops following <paramref name="jobId"/>.</summary>
    public void Forget(string jobId)
    {
        lock (_lock)
        {
            _followed.Remove(jobId);
        }
    }

    /// <summary>The job as the last <c>squeue</c> showed it; null when that call did not list it (or none answered yet).</summary>
    public SlurmJobState? Latest(string jobId) => Volatile.Read(ref _latest).GetValueOrDefault(jobId);

    /// <summary>Whether the last answer comes from a <c>squeue</c> call started after <paramref name="timestamp"/> (so it lists every job submitted before).</summary>
    public bool AnsweredSince(long timestamp) => LastAnswer > timestamp;

    /// <summary>
    /// Asks for an answer sooner than the interval (still at most one call per second), and completes when the next
    /// answer (or failed call) arrives.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            next = _refreshed.Task;
            _wake.TrySetResult();
        }

        return next.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Asks Slurm to cancel <paramref name="jobId"/> (SIGKILL with <paramref name="kill"/>); requests that arrive within
    /// a few milliseconds of each other go in one <c>scancel</c>. Completes when the call has returned; whether the job
    /// ended is for the caller to confirm.
    /// </summary>
    public Task CancelAsync(string jobId, bool kill)
    {
        lock (_lock)
        {
            (kill ? _toKill : _toCancel).Add(jobId);
            if (_cancelling is null || _cancelling.IsCompleted)
            {
                _cancelling = Task.Run(FlushCancelsAsync);
            }

            return _cancelling;
        }
    }

    private async Task FlushCancelsAsync()
    {
        await Task.Delay(CancelGathering, timeProvider).ConfigureAwait(false);
        while (true)
        {
            string[] cancel;
            string[] kill;
            lock (_lock)
            {
                cancel = [.. _toCancel];
                kill = [.. _toKill];
                _toCancel.Clear();
                _toKill.Clear();
                if (cancel.Length == 0 && kill.Length == 0)
                {
                    _cancelling = null;
                    return;
                }
            }

            if (cancel.Length > 0)
            {
                await client.CancelAsync(cancel, kill: false, CancellationToken.None).ConfigureAwait(false);
            }

            if (kill.Length > 0)
            {
                await client.CancelAsync(kill, kill: true, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task LoopAsync()
    {
        var last = Interlocked.Read(ref _lastCall);
        while (true)
        {
            TimeSpan interval;
            Task wake;
            lock (_lock)
            {
                if (StoppedWhenIdle())
                {
                    return;
                }

                interval = _followed.Values.Min();
                wake = _wake.Task;
            }

            // Wait out the interval, or a refresh request, but never call twice within the minimum interval.
            if (last != long.MinValue)
            {
                var since = timeProvider.GetElapsedTime(last);
                if (since < interval)
                {
                    await Task.WhenAny(wake, Task.Delay(interval - since, timeProvider)).ConfigureAwait(false);
                }

                since = timeProvider.GetElapsedTime(last);
                if (since < MinimumInterval)
                {
                    await Task.Delay(MinimumInterval - since, timeProvider).ConfigureAwait(false);
                }
            }

            TaskCompletionSource refreshed;
            lock (_lock)
            {
                // Every job may have been forgotten during the wait: no call for nobody.
                if (StoppedWhenIdle())
                {
                    return;
                }

                refreshed = _refreshed;
                _refreshed = NewSignal();
                _wake = NewSignal();
            }

            last = timeProvider.GetTimestamp();
            Interlocked.Exchange(ref _lastCall, last);
            var answer = await client.QueueAsync(_user, CancellationToken.None).ConfigureAwait(false);
            if (answer is not null)
            {
                Volatile.Write(ref _latest, answer);
                Interlocked.Exchange(ref _lastAnswer, last);
            }

            refreshed.TrySetResult();
        }
    }

    // Under the lock: ends the loop when it follows no job, releasing whoever waits for a refresh.
    private bool StoppedWhenIdle()
    {
        if (_followed.Count > 0)
        {
            return false;
        }

        _loop = null;
        _refreshed.TrySetResult();
        return true;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
