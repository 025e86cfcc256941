namespace Flowline.Agents.Commands;

/// <summary>
/// Starts a command-line agent and collects its output. A seam so that the <c>command</c> provider can move onto
/// the process launcher that script steps use (Execution/Processes) when the branches merge; until then
/// <see cref="SystemProcessRunner"/> is a minimal implementation on System.Diagnostics.Process.
/// </summary>
internal interface IAgentProcessRunner
{
    /// <summary>Runs the process to its end; when <paramref name="cancellationToken"/> fires, kills its tree and throws.</summary>
    public Task<AgentProcessResult> RunAsync(AgentProcessRequest request, CancellationToken cancellationToken);
}

/// <param name="Command">The program: a name searched on PATH, or a path (relative to the working directory).</param>
/// <param name="Args">The argument vector; never through a shell.</param>
/// <param name="WorkingDirectory">Where the process runs.</param>
/// <param name="Environment">Variables set on top of the inherited environment.</param>
/// <param name="StandardInput">Text written to stdin before it is closed; null closes it at once.</param>
/// <param name="OnLine">Called with each line of stdout and stderr as it arrives.</param>
internal sealed record AgentProcessRequest(
    string Command,
    IReadOnlyList<string> Args,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string? StandardInput,
    Action<string, LogStream> OnLine);

/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Standard output, capped at <see cref="SystemProcessRunner.MaxCaptureChars"/>.</param>
/// <param name="Stderr">Standard error, capped likewise.</param>
/// <param name="Truncated">Whether either capture hit its cap.</param>
internal sealed record AgentProcessResult(int ExitCode, string Stdout, string Stderr, bool Truncated);
