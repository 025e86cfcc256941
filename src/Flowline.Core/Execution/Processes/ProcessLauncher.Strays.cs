using System.Globalization;

namespace Flowline.Execution.Processes;

/// <content>Terminating what a step left running outside its process group (issue 18, see <see cref="StrayProcesses"/>).</content>
internal sealed partial class ProcessLauncher
{
    private static readonly TimeSpan FirstStrayPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxStrayPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// SIGTERM to every live process carrying <paramref name="marker"/>, SIGKILL after the grace period; true once none
    /// is left. Every pid signalled is added to <paramref name="killed"/>.
    /// </summary>
    private async Task<bool> KillStraysAsync(string marker, string command, SerializedLog log, HashSet<int> killed)
    {
        var strays = StrayProcesses.Find(marker);
        if (strays.Count == 0)
        {
            return true;
        }

        killed.UnionWith(strays);
        log.Info(string.Create(
            CultureInfo.InvariantCulture,
            $"Terminating {strays.Count} process{(strays.Count == 1 ? "" : "es")} left running by '{command}' outside its process group (pid {string.Join(", ", strays.Order())}): SIGTERM."));
        StrayProcesses.Signal(strays, LibC.SigTerm);
        if (await WaitUntilNoStraysAsync(marker, _options.KillGracePeriod, killed).ConfigureAwait(false))
        {
            return true;
        }

        log.Info($"Processes of '{command}' outside its process group still ran {Durations.Format(_options.KillGracePeriod)} after SIGTERM; sent SIGKILL.");
        var left = StrayProcesses.Find(marker);
        killed.UnionWith(left);
        StrayProcesses.Signal(left, LibC.SigKill);
        return await WaitUntilNoStraysAsync(marker, _options.KillTimeout, killed).ConfigureAwait(false);
    }

    // Polls like ProcessGroup.WaitUntilGoneAsync: these are not our children (or not only), so there is nothing to wait on.
    private async Task<bool> WaitUntilNoStraysAsync(string marker, TimeSpan bound, HashSet<int> killed)
    {
        var clock = _options.TimeProvider;
        var start = clock.GetTimestamp();
        var delay = FirstStrayPoll;
        while (true)
        {
            var left = StrayProcesses.Find(marker);
            if (left.Count == 0)
            {
                return true;
            }

            killed.UnionWith(left);
            var remaining = bound - clock.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(delay < remaining ? delay : remaining, clock).ConfigureAwait(false);
            delay = delay * 2 < MaxStrayPoll ? delay * 2 : MaxStrayPoll;
        }
    }

    private static IReadOnlyDictionary<string, string> WithMarker(IReadOnlyDictionary<string, string> environment, string? marker)
    {
        if (marker is null)
        {
            return environment;
        }

        var marked = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            [StrayProcesses.Variable] = marker,
        };
        return marked;
    }
}
