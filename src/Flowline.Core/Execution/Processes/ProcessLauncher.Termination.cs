using System.Globalization;

namespace Flowline.Execution.Processes;

/// <content>Waiting for the process, and making sure its tree dies (STYLE rule 5).</content>
internal sealed partial class ProcessLauncher
{
    private static async Task<ProcessRunStatus> WaitForExitAsync(
        LaunchedProcess process,
        CancellationToken timeoutToken,
        CancellationToken cancellationToken)
    {
        using var linked = timeoutToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutToken)
            : null;
        try
        {
            await process.WaitForExitAsync(linked?.Token ?? cancellationToken).ConfigureAwait(false);
            return ProcessRunStatus.Exited;
        }
        catch (OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? ProcessRunStatus.Cancelled : ProcessRunStatus.TimedOut;
        }
    }

    /// <summary>SIGTERM to the group, SIGKILL after the grace period; true once no process of the tree is left.</summary>
    private async Task<bool> KillTreeAsync(LaunchedProcess process, ProcessGroup? group, string command, SerializedLog log)
    {
        var clock = _options.TimeProvider;
        if (group is null)
        {
            LiveProcessTrees.KillNow(process, group);
            return await WaitForExitAsync(process, _options.KillTimeout).ConfigureAwait(false);
        }

        var start = clock.GetTimestamp();
        group.Signal(LibC.SigTerm);
        if (await WaitForExitAsync(process, _options.KillGracePeriod).ConfigureAwait(false)
            && await group.WaitUntilGoneAsync(_options.KillGracePeriod - clock.GetElapsedTime(start), clock).ConfigureAwait(false))
        {
            return true;
        }

        log.Info(string.Create(
            CultureInfo.InvariantCulture,
            $"Processes of '{command}' (process group {group.Id}) still ran {Durations.Format(_options.KillGracePeriod)} after SIGTERM; sent SIGKILL."));
        group.Signal(LibC.SigKill);
        return await WaitForExitAsync(process, _options.KillTimeout).ConfigureAwait(false)
            && await group.WaitUntilGoneAsync(_options.KillTimeout, clock).ConfigureAwait(false);
    }

    private async Task<bool> WaitForExitAsync(LaunchedProcess process, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound > TimeSpan.Zero ? bound : TimeSpan.Zero, _options.TimeProvider);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return process.HasExited;
        }
    }

    /// <summary>Waits for both pipes to end, at most the drain timeout; false when reading had to be abandoned.</summary>
    private async Task<bool> DrainAsync(Task pumps, CancellationTokenSource stopReading)
    {
        var complete = true;
        if (!pumps.IsCompleted)
        {
            try
            {
                await pumps.WaitAsync(_options.OutputDrainTimeout, _options.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                complete = false;
                await stopReading.CancelAsync().ConfigureAwait(false);
            }
        }

        await pumps.ConfigureAwait(false);
        return complete;
    }
}
