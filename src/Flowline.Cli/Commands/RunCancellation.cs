using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// Cancelling a running run from any process (issue 17): the dashboard's Cancel button, <c>flowline cancel</c> and
/// <c>flowline mcp</c>'s cancel_run all record a request in the store (<see cref="IRunStore.RequestCancelAsync"/>),
/// which the engine recording the run polls for and obeys as it obeys Ctrl+C, wherever that engine runs (this
/// process, another terminal, another machine sharing the state folder). Then they wait, bounded, for the run's row
/// to say it stopped. One mechanism, so a run started here and one started elsewhere stop the same way.
/// </summary>
internal static class RunCancellation
{
    /// <summary>How long to wait for the run to stop: longer than a step's graceful-stop grace period and a poll or two.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>Asks <paramref name="run"/> to stop and waits until it has (or <see cref="Wait"/> passed).</summary>
    public static async Task<CancelOutcome> CancelAsync(IRunStore store, RunRecord run, string requester, CancellationToken cancellationToken)
    {
        if (run.Status != RunStatus.Running)
        {
            return new CancelOutcome(CancelResult.NotRunning, run.Status);
        }

        if (!await store.RequestCancelAsync(run.Id, requester, cancellationToken))
        {
            var now = await store.GetRunAsync(run.Id, cancellationToken);
            return new CancelOutcome(CancelResult.NotRunning, now?.Status ?? RunStatus.Interrupted);
        }

        var deadline = Environment.TickCount64 + (long)Wait.TotalMilliseconds;
        while (true)
        {
            var current = await store.GetRunAsync(run.Id, cancellationToken);
            if (current is null || current.Status != RunStatus.Running)
            {
                return new CancelOutcome(CancelResult.Stopped, current?.Status ?? RunStatus.Interrupted);
            }

            if (Environment.TickCount64 > deadline)
            {
                return new CancelOutcome(CancelResult.StillStopping, RunStatus.Running);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>The sentence that says why nothing was cancelled.</summary>
    public static string NotRunningText(string runId, RunStatus status) =>
        $"run {runId} is not running (it is {RunText.Status(status)}), so there is nothing to cancel"
        + (status is RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted ? $"; `flowline resume {runId}` continues it." : ".");

    /// <summary>The sentence for a request the run has not obeyed within <see cref="Wait"/>.</summary>
    public static string StillStoppingText(string runId) =>
        $"run {runId} was asked to stop but still runs after {Wait.TotalSeconds:0} s: its steps may be slow to stop, or the process recording it is an older Flowline that does not poll for cancel requests (stop it with Ctrl+C there).";
}

/// <summary>What became of a cancel request.</summary>
internal enum CancelResult
{
    /// <summary>The run was not running; nothing was asked.</summary>
    NotRunning,

    /// <summary>The run stopped (its status says how: normally cancelled).</summary>
    Stopped,

    /// <summary>The request is recorded but the run still runs.</summary>
    StillStopping,
}

/// <summary>A cancel request's result and the run's status afterwards.</summary>
internal sealed record CancelOutcome(CancelResult Result, RunStatus Status);
