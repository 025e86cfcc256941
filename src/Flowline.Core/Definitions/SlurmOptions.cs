namespace Flowline;

/// <summary>
/// A <c>slurm:</c> block (issue 12, docs/slurm.md): how the Slurm executor submits a <c>script</c> step. Written at the
/// workflow level for every Slurm step and on a step to override it field by field (<see cref="Over"/>).
/// </summary>
public sealed record SlurmOptions
{
    /// <summary><c>--partition</c>; the cluster's default partition when null.</summary>
    public string? Partition { get; init; }

    /// <summary><c>--account</c>.</summary>
    public string? Account { get; init; }

    /// <summary><c>--qos</c>.</summary>
    public string? Qos { get; init; }

    /// <summary><c>--cpus-per-task</c>, 1 or more.</summary>
    public int? CpusPerTask { get; init; }

    /// <summary><c>--mem</c> in mebibytes; YAML takes <c>512M</c>, <c>4G</c> or <c>1T</c>.</summary>
    public long? MemoryMiB { get; init; }

    /// <summary><c>--gpus</c>, as Slurm reads it (<c>2</c> or <c>a100:2</c>).</summary>
    public string? Gpus { get; init; }

    /// <summary>More <c>sbatch</c> arguments, each passed as one argument, after Flowline's own.</summary>
    public IReadOnlyList<string>? ExtraArgs { get; init; }

    /// <summary>Jobs of this run in Slurm at once (pending and running); 100 when null. Workflow level only.</summary>
    public int? MaxJobs { get; init; }

    /// <summary>How often a job's files are checked for its start, output and end; 250 ms when null. Workflow level only.</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>How often one <c>squeue</c> asks Slurm about all of the run's jobs; 10 s when null. Workflow level only.</summary>
    public TimeSpan? QueueStatInterval { get; init; }

    /// <summary>Longest a job may wait in the queue before Flowline cancels it and fails the step; unbounded when null.</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary>These options with every field that <paramref name="step"/> sets taken from it (a step's block overrides the workflow's).</summary>
    /// <param name="step">The step's own block, or null.</param>
    /// <returns>The merged options.</returns>
    public SlurmOptions Over(SlurmOptions? step) => step is null
        ? this
        : new SlurmOptions
        {
            Partition = step.Partition ?? Partition,
            Account = step.Account ?? Account,
            Qos = step.Qos ?? Qos,
            CpusPerTask = step.CpusPerTask ?? CpusPerTask,
            MemoryMiB = step.MemoryMiB ?? MemoryMiB,
            Gpus = step.Gpus ?? Gpus,
            ExtraArgs = step.ExtraArgs ?? ExtraArgs,
            MaxJobs = step.MaxJobs ?? MaxJobs,
            PollInterval = step.PollInterval ?? PollInterval,
            QueueStatInterval = step.QueueStatInterval ?? QueueStatInterval,
            QueueTimeout = step.QueueTimeout ?? QueueTimeout,
        };
}
