namespace Flowline.Cli.Tests;

/// <summary>The theory form of <see cref="SlurmFactAttribute"/>: skipped with the same reason, never in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlurmTheoryAttribute : TheoryAttribute
{
    public SlurmTheoryAttribute()
    {
        if (!SlurmCluster.IsAvailable && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = SlurmFactAttribute.Reason;
        }
    }
}
