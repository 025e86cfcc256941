namespace Flowline.Cli.Tests;

/// <summary>
/// A test that needs a small file system of its own to fill (issue 18, item 2): <c>.ci/run</c> mounts a tmpfs and
/// names it in <see cref="Variable"/>. Elsewhere the test reports itself skipped with the reason, but never in CI
/// (<c>CI=true</c>), where a missing mount must fail rather than pass unseen.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FullDiskFactAttribute : FactAttribute
{
    public const string Variable = "FLOWLINE_TEST_FULL_DISK";

    public FullDiskFactAttribute()
    {
        if (Mount is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{Variable} is not set: mount a small tmpfs to fill (as root: mount -t tmpfs -o size=2m tmpfs DIR) and set {Variable}=DIR, as .ci/run does.";
        }
    }

    /// <summary>The mount, or null when none is given.</summary>
    public static string? Mount => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;
}
