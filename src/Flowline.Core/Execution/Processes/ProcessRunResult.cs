namespace Flowline.Execution.Processes;

/// <summary>The outcome of <see cref="ProcessLauncher.RunAsync"/>: a value, never an exception.</summary>
internal sealed record ProcessRunResult
{
    /// <summary>How the process ended.</summary>
    public required ProcessRunStatus Status { get; init; }

    /// <summary>The exit code; 128 + N when signal N ended it; null when it never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Captured standard output, bounded (see <see cref="BoundedCapture"/>).</summary>
    public string Stdout { get; init; } = string.Empty;

    /// <summary>Captured standard error, bounded.</summary>
    public string Stderr { get; init; } = string.Empty;

    /// <summary>Why the process could not be started (<see cref="ProcessRunStatus.NotStarted"/>).</summary>
    public string? Error { get; init; }

    /// <summary>The resolved program path, when it was found.</summary>
    public string? ResolvedPath { get; init; }

    /// <summary>Processes still running in the group after the main process exited, which were then killed.</summary>
    public int LeftoverProcessesKilled { get; init; }

    /// <summary>False when some process survived SIGKILL within the bound (it could not be confirmed dead).</summary>
    public bool TreeConfirmedDead { get; init; } = true;

    /// <summary>True when the run is <see cref="ProcessRunStatus.Exited"/> with code 0.</summary>
    public bool Succeeded => Status == ProcessRunStatus.Exited && ExitCode == 0;
}
