namespace Flowline.Execution.Processes;

/// <summary>Limits of <see cref="ProcessLauncher"/>; the defaults suit a workflow step.</summary>
internal sealed record ProcessLauncherOptions
{
    /// <summary>The defaults.</summary>
    public static ProcessLauncherOptions Default { get; } = new();

    /// <summary>Bytes of stdout (and, separately, of stderr) kept in the result: head and tail halves (1 MiB).</summary>
    public int MaxCapturedBytes { get; init; } = 1024 * 1024;

    /// <summary>How long the process group gets after SIGTERM before SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for the group to vanish after SIGKILL before giving up on it.</summary>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long, once the group is gone, to keep reading output pipes that a process outside the group (one
    /// that called <c>setsid</c> itself) still holds open.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The launch path; null for <see cref="ProcessLauncher.DefaultPath"/> (tests set it to cover both).</summary>
    public LaunchPath? LaunchPath { get; init; }

    /// <summary>
    /// The clock for the waits above, which concern real OS processes; the step timeout follows the clock given
    /// to <see cref="ProcessLauncher.RunAsync"/> instead.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
