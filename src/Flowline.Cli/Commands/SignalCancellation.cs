using System.Runtime.InteropServices;

namespace Flowline.Cli.Commands;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a cancellation (the run stops cleanly, children are killed, the report is
/// written) and remembers which signal it was for the exit code; a second signal exits at once.
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal;

    public SignalCancellation(CancellationToken outer)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM, null when no signal arrived.</summary>
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
        var code = context.Signal == PosixSignal.SIGINT ? ExitCodes.Interrupted : ExitCodes.Terminated;
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _signal, code, 0) != 0)
        {
            // Second signal: the user wants out now.
            Environment.Exit(code);
        }

        Console.Error.WriteLine(code == ExitCodes.Interrupted
            ? "Interrupted: stopping running steps (press Ctrl+C again to exit at once)…"
            : "Terminated: stopping running steps…");
        _cancellation.Cancel();
    }
}
