namespace Flowline.Execution.Processes;

/// <summary>How a launched process ended.</summary>
internal enum ProcessRunStatus
{
    /// <summary>The process could not be started; <see cref="ProcessRunResult.Error"/> says why.</summary>
    NotStarted,

    /// <summary>The process exited on its own; see <see cref="ProcessRunResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>The timeout elapsed and the process tree was killed.</summary>
    TimedOut,

    /// <summary>The cancellation token fired and the process tree was killed.</summary>
    Cancelled,
}
