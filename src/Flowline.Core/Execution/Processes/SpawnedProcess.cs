using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Flowline.Execution.Processes;

/// <summary>
/// A process started by <c>posix_spawn</c> (<see cref="SpawnedProcess.Start"/>) and reaped by
/// <see cref="SpawnReaper"/>. It is the leader of a new session and process group (pgid == pid) from its first
/// instruction on, so the launcher's group handling applies unchanged.
/// </summary>
internal sealed partial class SpawnedProcess : LaunchedProcess
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _pid;
    private readonly AnonymousPipeClientStream _stdout;
    private readonly AnonymousPipeClientStream _stderr;
    private readonly StreamWriter? _stdin;
    private bool _reaped;
    private int _exitCode;

    private SpawnedProcess(int pid, int stdoutFd, int stderrFd, int stdinFd)
    {
        _pid = pid;
        _stdout = Reader(stdoutFd);
        _stderr = Reader(stderrFd);
        if (stdinFd >= 0)
        {
            var stream = new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(stdinFd, ownsHandle: true));
            _stdin = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }

    /// <inheritdoc/>
    public override int Id => _pid;

    /// <inheritdoc/>
    public override bool HasExited => _exited.Task.IsCompleted;

    /// <inheritdoc/>
    public override int ExitCode => HasExited ? _exitCode : throw new InvalidOperationException("The process has not exited yet.");

    /// <inheritdoc/>
    public override Stream StandardOutput => _stdout;

    /// <inheritdoc/>
    public override Stream StandardError => _stderr;

    /// <inheritdoc/>
    public override StreamWriter? StandardInput => _stdin;

    /// <inheritdoc/>
    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _exited.Task.WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public override void Kill()
    {
        // Under the lock the pid cannot be reaped (and so reused) between the check and the signal.
        lock (_gate)
        {
            if (!_reaped)
            {
                _ = LibC.Kill(_pid, LibC.SigKill);
            }
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        try
        {
            _stdin?.Dispose(); // normally closed already, after feeding the input
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Collects the exit status once the process has ended (its pidfd is readable): false when it has not, so the
    /// caller waits again. The status becomes 128 + N for a death by signal N, like <see cref="System.Diagnostics.Process"/>.
    /// </summary>
    internal unsafe bool TryReap(bool block)
    {
        lock (_gate)
        {
            if (_reaped)
            {
                return true;
            }

            int status;
            int result;
            do
            {
                result = LibC.WaitPid(_pid, &status, block ? 0 : LibC.WaitNoHang);
            }
            while (result < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == LibC.ErrorInterrupted);

            if (result == 0)
            {
                return false;
            }

            // -1 (ECHILD) means another reaper took the status, which the launcher's checks at start-up rule out;
            // report a failure rather than hang.
            _exitCode = result < 0 ? -1 : (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            _reaped = true;
        }

        _exited.TrySetResult();
        return true;
    }

    private static AnonymousPipeClientStream Reader(int fd)
        => new(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
}
