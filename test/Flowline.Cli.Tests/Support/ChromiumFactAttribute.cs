namespace Flowline.Cli.Tests;

/// <summary>
/// A test that drives Debian's headless Chromium through chromedriver (issue 17): <c>.ci/run</c> installs the
/// <c>chromium</c> and <c>chromium-driver</c> packages when missing. Elsewhere, without them, the test reports itself
/// skipped with the reason, but never in CI (<c>CI=true</c>), where a missing browser must fail rather than pass unseen.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Overrides where the browser is (default /usr/bin/chromium).</summary>
    public const string BrowserVariable = "FLOWLINE_TEST_CHROMIUM";

    /// <summary>Overrides where chromedriver is (default /usr/bin/chromedriver).</summary>
    public const string DriverVariable = "FLOWLINE_TEST_CHROMEDRIVER";

    public ChromiumFactAttribute()
    {
        if ((!File.Exists(Browser) || !File.Exists(Driver)) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"Chromium or chromedriver is missing ({Browser}, {Driver}): install Debian's packages (apt-get install chromium chromium-driver) as .ci/run does, or set {BrowserVariable} and {DriverVariable}.";
        }
    }

    public static string Browser => Environment.GetEnvironmentVariable(BrowserVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string Driver => Environment.GetEnvironmentVariable(DriverVariable) is { Length: > 0 } path ? path : "/usr/bin/chromedriver";
}
