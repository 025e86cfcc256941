using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Flowline.Agents.Commands;

/// <summary>
/// The minimal process runner for <c>command</c> agents: argument vector, stdin, line-by-line capture with a cap,
/// and on cancellation a kill of the whole process tree with a bounded wait. To be replaced by the shared
/// process launcher at merge, which also sends a graceful signal before the kill (STYLE rule 5); this one kills
/// at once, because signalling only the agent would let it exit and orphan its children before the tree kill.
/// </summary>
internal sealed class SystemProcessRunner : IAgentProcessRunner
{
    public const int MaxCaptureChars = 1024 * 1024;

    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public static SystemProcessRunner Instance { get; } = new();

    public async Task<AgentProcessResult> RunAsync(AgentProcessRequest request, CancellationToken cancellationToken)
    {
        var command = request.Command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(request.Command)
            ? Path.GetFullPath(Path.Combine(request.WorkingDirectory, request.Command))
            : request.Command;
        var info = new ProcessStartInfo(command)
        {
            WorkingDirectory = request.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in request.Args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in request.Environment)
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"cannot start '{request.Command}': {ex.Message}. Is it installed and on PATH (or give its path)?", ex);
        }

        var stdout = new Capture();
        var stderr = new Capture();
        var readOut = PumpAsync(process.StandardOutput, stdout, line => request.OnLine(line, LogStream.Stdout));
        var readErr = PumpAsync(process.StandardError, stderr, line => request.OnLine(line, LogStream.Stderr));
        try
        {
            await WriteInputAsync(process, request.StandardInput, cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

            // A grandchild that inherited the pipes can keep them open after the agent exits; the token still ends the wait.
            await Task.WhenAll(readOut, readErr).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        return new AgentProcessResult(process.ExitCode, stdout.Text, stderr.Text, stdout.Truncated || stderr.Truncated);
    }

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The agent exited or closed stdin without reading it all; its exit code tells what happened.
        }
    }

    private static async Task PumpAsync(StreamReader reader, Capture capture, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            capture.Add(line);
            onLine(line);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(KillWait);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or SystemException)
        {
            // Already gone, or not killable within the bound: nothing more to do here.
        }
    }

    private sealed class Capture
    {
        private readonly StringBuilder _text = new();

        public bool Truncated { get; private set; }

        public string Text => _text.ToString();

        public void Add(string line)
        {
            if (_text.Length + line.Length + 1 > MaxCaptureChars)
            {
                Truncated = true;
                return;
            }

            _text.Append(line).Append('\n');
        }
    }
}
