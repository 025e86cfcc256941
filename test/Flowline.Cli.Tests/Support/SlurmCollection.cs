namespace Flowline.Cli.Tests;

/// <summary>
/// The tests that use the real Slurm cluster run one at a time: the cluster has 2 CPUs and one <c>db</c> license,
/// and a test that counts jobs or waits for a license must not see another test's jobs.
/// <c>dotnet test --filter Category=Slurm</c> runs only them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmCollection
{
    public const string Name = "Slurm";

    /// <summary>The trait key: <c>[Trait(SlurmCollection.Trait, SlurmCollection.Name)]</c>.</summary>
    public const string Trait = "Category";
}
