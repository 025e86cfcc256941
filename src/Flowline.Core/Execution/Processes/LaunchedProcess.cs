using System.ComponentModel;
using System.Diagnostics;

namespace Flowline.Execution.Processes;

/// <summary>
/// A started process as the launcher needs it, whichever way it was started: by <see cref="Process"/> (through
/// <c>setsid</c>) or by <c>posix_spawn</c> (<see cref="SpawnedProcess"/>).
/// </summary>
internal abstract class LaunchedProcess : IDisposable
{
    /// <summary>The process id; on Linux also the id of its process group.</summary>
    public abstract int Id { get; }

    /// <summary>True once the process has exited and its status is known.</summary>
    public abstract bool HasExited { get; }

    /// <summary>The exit code, 128 + N for a death by signal N; valid once <see cref="HasExited"/>.</summary>
    public abstract int ExitCode { get; }

    /// <summary>The read end of the process's stdout.</summary>
    public abstract Stream StandardOutput { get; }

    /// <summary>The read end of the process's stderr.</summary>
    public abstract Stream StandardError { get; }

    /// <summary>The write end of the process's stdin; null when stdin is <c>/dev/null</c>.</summary>
    public abstract StreamWriter? StandardInput { get; }

    /// <summary>Completes when the process has exited; throws <see cref="OperationCanceledException"/> on cancellation.</summary>
    public abstract Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>SIGKILL to this process only; does nothing once it has exited.</summary>
    public abstract void Kill();

    /// <summary>SIGKILL to the whole tree, for platforms without process groups.</summary>
    public virtual void KillEntireTree() => Kill();

    /// <summary>Closes the output pipes (see the note in <see cref="ProcessLauncher"/>) and releases the process.</summary>
    public abstract void Dispose();
}

/// <summary>A process started by <see cref="Process"/>: the fallback path.</summary>
internal sealed class DotnetProcess(Process process) : LaunchedProcess
{
    private readonly Process _process = process;

    /// <inheritdoc/>
    public override int Id => _process.Id;

    /// <inheritdoc/>
    public override bool HasExited => _process.HasExited;

    /// <inheritdoc/>
    public override int ExitCode => _process.ExitCode;

    /// <inheritdoc/>
    public override Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <inheritdoc/>
    public override Stream StandardError => _process.StandardError.BaseStream;

    /// <inheritdoc/>
    public override StreamWriter? StandardInput => _process.StandardInput;

    /// <inheritdoc/>
    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc/>
    public override void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited, or not ours to kill any more.
        }
    }

    /// <inheritdoc/>
    public override void KillEntireTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        // Process.Dispose leaves the pipes it handed out for reading to the finalizer, where closing them contends
        // with the I/O thread: in the profile of a 1000-step chain that was the largest single cost (issue #7).
        _process.StandardOutput.Dispose();
        _process.StandardError.Dispose();
        _process.Dispose();
    }
}
