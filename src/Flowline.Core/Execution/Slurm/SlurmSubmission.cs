using System.Globalization;

namespace Flowline.Execution.Slurm;

/// <summary>
/// The <c>sbatch</c> argument list for one attempt (docs/slurm.md "Flowline → sbatch"). Every value is one argument;
/// nothing is joined into a string a shell or Slurm would split again.
/// </summary>
internal static class SlurmSubmission
{
    /// <summary>How much longer than the step's timeout Slurm's own <c>--time</c> is, as a backstop for when Flowline is down.</summary>
    public static readonly TimeSpan BackstopMargin = TimeSpan.FromMinutes(2);

    public static List<string> Arguments(
        SlurmOptions options,
        SlurmHandle handle,
        SlurmJobFolder folder,
        string workingDirectory,
        TimeSpan? timeout,
        string? license,
        string script,
        TimeSpan grace)
    {
        var arguments = new List<string>
        {
            $"--job-name={handle.JobName}",
            $"--comment={handle.Comment}",
            $"--chdir={workingDirectory}",
            "--export=ALL",
            $"--export-file={folder.Env}",
            $"--output={folder.Stdout}",
            $"--error={folder.Stderr}",
            "--open-mode=append",
            "--no-requeue",
            "--nodes=1",
            "--ntasks=1",
        };

        if (timeout is { } limit)
        {
            var minutes = (long)Math.Ceiling((limit + BackstopMargin).TotalMinutes);
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--time={minutes}"));
            arguments.Add("--signal=B:USR1@30");
        }

        Add(arguments, "--partition", options.Partition);
        Add(arguments, "--account", options.Account);
        Add(arguments, "--qos", options.Qos);
        Add(arguments, "--cpus-per-task", options.CpusPerTask?.ToString(CultureInfo.InvariantCulture));
        Add(arguments, "--mem", options.MemoryMiB is { } mib ? string.Create(CultureInfo.InvariantCulture, $"{mib}M") : null);
        Add(arguments, "--gpus", options.Gpus);
        Add(arguments, "--licenses", license is null ? null : $"{license}:1");
        arguments.AddRange(options.ExtraArgs ?? []);
        arguments.Add(script);
        arguments.Add(folder.Path);
        arguments.Add(((int)Math.Ceiling(grace.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        return arguments;
    }

    private static void Add(List<string> arguments, string option, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            arguments.Add($"{option}={value}");
        }
    }
}
