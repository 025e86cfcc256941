using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Flowline.Cli.Tests;

/// <summary>
/// The real Slurm cluster the <see cref="SlurmFactAttribute"/> tests use (<c>scripts/slurm-cluster.sh up</c>): its
/// configuration, its commands run with an argument list (never a shell string) for the tests' own submissions and
/// assertions, and waiting for a job to end.
/// </summary>
internal static partial class SlurmCluster
{
    /// <summary>Bound on one command; the commands answer in milliseconds on the local cluster.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<bool> Answers = new(() =>
        ConfPath is { } conf && File.Exists(conf) && TryRun("sinfo", ["-h", "-o", "%T"]) is { ExitCode: 0 });

    /// <summary>The cluster's slurm.conf (<c>SLURM_CONF</c>), or null when none is set.</summary>
    public static string? ConfPath => Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 } path ? path : null;

    /// <summary>True when <c>SLURM_CONF</c> is set and the cluster answers <c>sinfo</c> (checked once per test run).</summary>
    public static bool IsAvailable => Answers.Value;

    /// <summary>The terminal job states (squeue(1) "JOB STATE CODES").</summary>
    public static IReadOnlySet<string> TerminalStates { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE",
    };

    /// <summary>Runs a Slurm command (<c>squeue</c>, <c>sinfo</c>, <c>scontrol</c>, <c>sbatch</c>, …) and asserts that it exits 0.</summary>
    public static async Task<string> RunAsync(string command, params string[] args)
    {
        if (!IsAvailable)
        {
            // Only reached in CI, where SlurmFact does not skip: a missing cluster fails the test with the fix.
            Assert.Fail($"{SlurmFactAttribute.Reason} (SLURM_CONF='{ConfPath}'; CI=true, so this fails instead of skipping)");
        }

        var result = await ExecAsync(command, args);
        Assert.True(result.ExitCode == 0, $"{command} {string.Join(' ', args)} exited {result.ExitCode}\n{result.Stderr}");
        return result.Stdout;
    }

    public static Task<string> SqueueAsync(params string[] args) => RunAsync("squeue", args);

    public static Task<string> SinfoAsync(params string[] args) => RunAsync("sinfo", args);

    public static Task<string> ScontrolAsync(params string[] args) => RunAsync("scontrol", args);

    /// <summary>Submits with <c>sbatch --parsable</c> and returns the job id (its output is <c>id</c> or <c>id;cluster</c>).</summary>
    public static async Task<string> SubmitAsync(params string[] args)
    {
        var output = (await RunAsync("sbatch", ["--parsable", .. args])).Trim();
        var id = output.Split(';')[0];
        Assert.True(id.Length > 0 && id.All(char.IsAsciiDigit), $"sbatch printed '{output}', not a job id");
        return id;
    }

    /// <summary>A job's fields from <c>scontrol show job -o</c> (JobState, ExitCode, Reason, StdOut, …).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ShowJobAsync(string jobId)
    {
        var line = (await ScontrolAsync("show", "job", "-o", jobId)).Trim();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = FieldKey().Matches(line);
        for (var i = 0; i < keys.Count; i++)
        {
            var start = keys[i].Index + keys[i].Length;
            var end = i + 1 < keys.Count ? keys[i + 1].Index : line.Length;
            fields[keys[i].Groups["key"].Value] = line[start..end].Trim();
        }

        return fields;
    }

    /// <summary>
    /// Waits (polling <c>scontrol</c>, at most <paramref name="timeout"/>, default 2 minutes) until the job reaches a
    /// terminal state and returns its fields. The cluster keeps an ended job for MinJobAge=300 s, so it is still there.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> WaitForEndAsync(string jobId, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await ShowJobAsync(jobId);
            if (TerminalStates.Contains(job.GetValueOrDefault("JobState", "")))
            {
                return job;
            }

            Assert.True(
                clock.Elapsed < (timeout ?? TimeSpan.FromMinutes(2)),
                $"job {jobId} did not end: JobState={job.GetValueOrDefault("JobState")} Reason={job.GetValueOrDefault("Reason")}");
            await Task.Delay(100);
        }
    }

    /// <summary>Reads a <c>date +%s.%N</c> time stamp a job wrote.</summary>
    public static decimal ReadTimestamp(string file) => decimal.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);

    private static CommandResult? TryRun(string command, string[] args)
    {
        try
        {
            return ExecAsync(command, args).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or TimeoutException)
        {
            return null;
        }
    }

    private static async Task<CommandResult> ExecAsync(string command, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} did not exit within {CommandTimeout.TotalSeconds} s");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A field of <c>scontrol -o</c> output starts at a space followed by <c>Key=</c> (values may hold spaces).</summary>
    [GeneratedRegex(@"(?:^| )(?<key>[A-Za-z][A-Za-z/:_]*)=", RegexOptions.CultureInvariant)]
    private static partial Regex FieldKey();

    private sealed record CommandResult(int ExitCode, string Stdout, string Stderr);
}
