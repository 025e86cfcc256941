namespace Flowline.Planning;

/// <summary>
/// The Slurm settings of one step as the file gives them (issue 12, docs/slurm.md "The YAML"), for the Slurm executor:
/// its <c>slurm:</c> block over the workflow's, and the license its resource pool stands for.
/// </summary>
internal static class SlurmStep
{
    private static readonly SlurmOptions None = new();

    /// <summary>The workflow's <c>slurm:</c> block with every field the step's own block sets taken from the step's.</summary>
    /// <remarks>
    /// <c>maxJobs</c>, <c>pollInterval</c> and <c>queueStatInterval</c> are the run's: read them from
    /// <see cref="RunWide"/> (a file cannot set them on a step; the loader refuses it with FL1117).
    /// </remarks>
    public static SlurmOptions Options(WorkflowDefinition workflow, WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(step);
        return (workflow.Slurm ?? None).Over(step.Slurm);
    }

    /// <summary>The workflow's own <c>slurm:</c> block, for the run-wide settings; empty when the file has none.</summary>
    public static SlurmOptions RunWide(WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return workflow.Slurm ?? None;
    }

    /// <summary>
    /// The Slurm license the step's pool stands for (<c>parallel.resources: { db: { size: 1, slurmLicense: db } }</c>),
    /// of which the step asks one unit; null when its pool, if any, is Flowline's.
    /// </summary>
    public static string? License(WorkflowDefinition workflow, WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(step);
        return step.Parallel?.Resource is { } pool && workflow.Parallel?.SlurmLicenses.TryGetValue(pool, out var license) == true ? license : null;
    }
}
