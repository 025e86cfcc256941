namespace Flowline.Execution.Slurm;

/// <summary>
/// Where the Slurm executor finds Slurm's commands (docs/slurm.md "Set-up"). Each is a name searched on PATH or a
/// path; <see cref="FromEnvironment"/> reads <c>FLOWLINE_SLURM_BIN</c>, a folder searched first, so a site wrapper or a
/// test's fakes can stand in for the real ones.
/// </summary>
internal sealed record SlurmCommands
{
    /// <summary>The variable naming a folder that holds <c>sbatch</c>, <c>squeue</c>, <c>scancel</c> and <c>scontrol</c>.</summary>
    public const string BinVariable = "FLOWLINE_SLURM_BIN";

    public string Sbatch { get; init; } = "sbatch";

    public string Squeue { get; init; } = "squeue";

    public string Scancel { get; init; } = "scancel";

    public string Scontrol { get; init; } = "scontrol";

    /// <summary>How long one call may take before it is killed and counted as failed (60 s, as the research notes advise).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The commands in <paramref name="folder"/>.</summary>
    public static SlurmCommands In(string folder) => new()
    {
        Sbatch = Path.Combine(folder, "sbatch"),
        Squeue = Path.Combine(folder, "squeue"),
        Scancel = Path.Combine(folder, "scancel"),
        Scontrol = Path.Combine(folder, "scontrol"),
    };

    /// <summary>The commands in <c>FLOWLINE_SLURM_BIN</c> when it is set, else on PATH.</summary>
    public static SlurmCommands FromEnvironment() =>
        Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } folder ? In(Path.GetFullPath(folder)) : new SlurmCommands();
}
