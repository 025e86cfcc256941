namespace Flowline.Execution.Processes;

/// <summary>How <see cref="ProcessLauncher"/> starts processes (see its remarks).</summary>
internal enum LaunchPath
{
    /// <summary><see cref="System.Diagnostics.Process"/>, through <c>setsid</c> on Linux: the fallback.</summary>
    Process,

    /// <summary><c>posix_spawn</c> with <c>POSIX_SPAWN_SETSID</c>, reaped through pidfds: the default on Linux.</summary>
    Spawn,
}
