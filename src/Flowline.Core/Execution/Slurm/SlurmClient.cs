using System.Globalization;
using Flowline.Execution.Processes;

namespace Flowline.Execution.Slurm;

/// <summary>
/// The one place the Slurm executor talks to Slurm: its commands, started through <see cref="ProcessLauncher"/> with
/// an argument list (never a shell string), each call bounded by <see cref="SlurmCommands.CallTimeout"/>.
/// </summary>
internal sealed class SlurmClient(SlurmCommands commands, TimeProvider timeProvider)
{
    private static readonly ProcessLauncher Launcher = new(ProcessLauncherOptions.Default with { MaxCapturedBytes = 4 * 1024 * 1024 });
    private static readonly Action<string, LogStream> NoLog = static (_, _) => { };

    private long _squeueCalls;

    public SlurmCommands Commands { get; } = commands;

    /// <summary>How many times <c>squeue</c> ran (for the benchmark's calls-per-minute figure).</summary>
    public long SqueueCalls => Interlocked.Read(ref _squeueCalls);

    /// <summary>Runs <c>sbatch --parsable ARGS</c> and reads the job id (<c>id</c> or <c>id;cluster</c>, after any site chatter).</summary>
    public async Task<SlurmSubmitResult> SubmitAsync(IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var run = await RunAsync(Commands.Sbatch, ["--parsable", .. arguments], workingDirectory, cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            return SlurmSubmitResult.Failed(Describe("sbatch", run));
        }

        return SlurmOutput.TryParseJobId(run.Stdout, out var id, out var cluster)
            ? SlurmSubmitResult.Submitted(id, cluster)
            : SlurmSubmitResult.Failed($"sbatch succeeded but printed no job id Flowline could read (expected 'ID' or 'ID;CLUSTER' on its last line): '{Shorten(run.Stdout)}'");
    }

    /// <summary>One <c>squeue</c> for every job of <paramref name="user"/>: id, state, reason, nodes. Null when the call failed.</summary>
    public async Task<IReadOnlyDictionary<string, SlurmJobState>?> QueueAsync(string user, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _squeueCalls);
        var run = await RunAsync(
            Commands.Squeue,
            ["--noheader", "--states=all", $"--user={user}", "--format=%i|%T|%r|%N|%k"],
            Environment.CurrentDirectory,
            cancellationToken).ConfigureAwait(false);
        return run.Succeeded ? SlurmOutput.ParseQueue(run.Stdout) : null;
    }

    /// <summary>The jobs named <paramref name="jobName"/> (with their comments), for recovering a submission whose id was never stored.</summary>
    public async Task<IReadOnlyDictionary<string, SlurmJobState>?> FindByNameAsync(string jobName, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _squeueCalls);
        var run = await RunAsync(
            Commands.Squeue,
            ["--noheader", "--states=all", $"--name={jobName}", "--format=%i|%T|%r|%N|%k"],
            Environment.CurrentDirectory,
            cancellationToken).ConfigureAwait(false);
        return run.Succeeded ? SlurmOutput.ParseQueue(run.Stdout) : null;
    }

    /// <summary>
    /// <c>scancel</c> for <paramref name="jobIds"/> (one call per 100 ids), with <c>--signal=KILL</c> when
    /// <paramref name="kill"/>. Its exit code says nothing (it is 0 for unknown ids), so the caller confirms by polling.
    /// </summary>
    public async Task CancelAsync(IReadOnlyList<string> jobIds, bool kill, CancellationToken cancellationToken)
    {
        foreach (var chunk in jobIds.Chunk(100))
        {
            string[] arguments = kill ? ["--signal=KILL", "--full", .. chunk] : [.. chunk];
            await RunAsync(Commands.Scancel, arguments, Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The total count of license <paramref name="name"/> (<c>scontrol show license -o NAME</c>), or null with
    /// an error when the cluster has none by that name or could not be asked.
    /// </summary>
    public async Task<(int? Total, string? Error)> LicenseTotalAsync(string name, CancellationToken cancellationToken)
    {
        var run = await RunAsync(Commands.Scontrol, ["show", "license", "-o", name], Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            return (null, Describe("scontrol show license", run));
        }

        return SlurmOutput.TryParseLicenseTotal(run.Stdout, name, out var total)
            ? (total, null)
            : (null, $"the cluster has no license '{name}' (scontrol show license printed '{Shorten(run.Stdout)}'); add Licenses={name}:N to slurm.conf or drop slurmLicense from the pool");
    }

    private Task<ProcessRunResult> RunAsync(string command, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken) =>
        Launcher.RunAsync(
            new ProcessSpec { Command = command, Arguments = arguments, WorkingDirectory = workingDirectory, Timeout = Commands.CallTimeout },
            NoLog,
            timeProvider,
            cancellationToken);

    private static string Describe(string what, ProcessRunResult run) => run.Status switch
    {
        ProcessRunStatus.NotStarted => $"{what} could not be started: {run.Error} (is Slurm's client installed? {SlurmCommands.BinVariable} may name the folder of its commands)",
        ProcessRunStatus.TimedOut => $"{what} did not answer within the call timeout; the Slurm controller may be overloaded or down",
        ProcessRunStatus.Cancelled => $"{what} was cancelled",
        _ => string.Create(CultureInfo.InvariantCulture, $"{what} exited with code {run.ExitCode}: {Shorten(run.Stderr.Length > 0 ? run.Stderr : run.Stdout)}"),
    };

    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 400 ? trimmed : trimmed[..400] + "…";
    }
}
