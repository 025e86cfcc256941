namespace Flowline.Execution.Slurm;

/// <summary>What <c>sbatch</c> gave back: a job id, or why there is none.</summary>
internal sealed record SlurmSubmitResult(string? JobId, string? Cluster, string? Error)
{
    public static SlurmSubmitResult Submitted(string jobId, string? cluster) => new(jobId, cluster, null);

    public static SlurmSubmitResult Failed(string error) => new(null, null, error);
}
