using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Flowline.Execution.Processes;

/// <content>Doing the first launch's one-time work early.</content>
internal sealed partial class ProcessLauncher
{
    /// <summary>
    /// Does the one-time work of a process's first launch ahead of it — choosing the launch path, starting the reaper
    /// thread, the runtime's first asynchronous pipe read and the code behind it — so that it overlaps loading the
    /// workflow instead of delaying the first step (issue #7, B3 and B4). Starts no process; never throws.
    /// </summary>
    public static async Task WarmUpAsync()
    {
        try
        {
            if (DefaultPath != LaunchPath.Spawn)
            {
                return;
            }

            SpawnReaper.Prepare();
            var pipe = EmptyPipe();
            if (pipe is not null)
            {
                await using (pipe.ConfigureAwait(false))
                {
                    await OutputPump.PumpAsync(pipe, new BoundedCapture(1), static _ => { }, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
#pragma warning disable CA1031 // An optimisation only: the first real launch reports whatever is wrong.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>The read end of a pipe whose write end is already closed, or null.</summary>
    private static unsafe AnonymousPipeClientStream? EmptyPipe()
    {
        var fds = stackalloc int[2];
        if (LibC.Pipe2(fds, LibC.OpenCloseOnExec) != 0)
        {
            return null;
        }

        _ = LibC.Close(fds[1]);
        return new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fds[0], ownsHandle: true));
    }
}
