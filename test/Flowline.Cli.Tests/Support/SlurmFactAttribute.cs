namespace Flowline.Cli.Tests;

/// <summary>
/// A test against the real single-node Slurm cluster of <c>scripts/slurm-cluster.sh</c> (issue 12): it runs when
/// <c>SLURM_CONF</c> names a cluster that answers <c>sinfo</c>. Elsewhere it reports itself skipped with the reason,
/// but never in CI (<c>CI=true</c>), where <c>.ci/run</c> starts the cluster and a missing one must fail, not pass
/// unseen. Use it in a class marked <c>[Collection(SlurmCollection.Name)]</c> and
/// <c>[Trait(SlurmCollection.Trait, SlurmCollection.Name)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlurmFactAttribute : FactAttribute
{
    public const string Reason =
        "no Slurm cluster: run scripts/slurm-cluster.sh up (as root) and set SLURM_CONF, as .ci/run does";

    public SlurmFactAttribute()
    {
        if (!SlurmCluster.IsAvailable && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Reason;
        }
    }
}
