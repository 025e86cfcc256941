using System.Runtime.InteropServices;
using Flowline.Execution.Processes;

namespace Flowline.Cli.Commands;

/// <summary>
/// Turns the first SIGINT, SIGTERM or SIGHUP into a cancellation (the run stops cleanly, children are killed, the
/// report is written) and remembers which signal it was for the exit code; a second signal exits at once (issue #3),
/// after SIGKILLing every step's process tree, because <see cref="Environment.Exit"/> runs no <c>finally</c> that would.
/// </summary>
/// <remarks>
/// SIGHUP (the terminal or SSH session closed) is handled like SIGTERM (issue 18): left to its default it would end
/// the runner without cleanup, and the steps, each leading its own session, would not get the hangup and run on.
/// </remarks>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private int _signal;

    public SignalCancellation(TextWriter error, CancellationToken outer)
    {
        _error = error;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle));
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM, 129 after SIGHUP, null when no signal arrived.</summary>
    public int? ExitCode => Volatile.Read(ref _signal) switch
    {
        0 => null,
        var s => s,
    };

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        var code = context.Signal switch
        {
            PosixSignal.SIGINT => ExitCodes.Interrupted,
            PosixSignal.SIGHUP => ExitCodes.HungUp,
            _ => ExitCodes.Terminated,
        };
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _signal, code, 0) != 0)
        {
            // Second signal: the user wants out now.
            var killed = StepProcesses.KillAll();
            _error.WriteLine($"Exiting at once; killed {killed} running process tree{(killed == 1 ? "" : "s")}.");
            Environment.Exit(code);
        }

        _error.WriteLine(code switch
        {
            ExitCodes.Interrupted => "Interrupted: stopping running steps (press Ctrl+C again to exit at once)…",
            ExitCodes.HungUp => "Hung up (SIGHUP): stopping running steps…",
            _ => "Terminated: stopping running steps…",
        });
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended and Dispose raced this handler: there is nothing left to cancel.
        }
    }
}
