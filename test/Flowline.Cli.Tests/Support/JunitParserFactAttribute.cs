using System.Diagnostics;

namespace Flowline.Cli.Tests;

/// <summary>
/// A test that reads a JUnit report with junitparser, the Python library CI tools use (Debian's python3-junitparser),
/// which <c>.ci/run</c> installs. Elsewhere it reports itself skipped with the reason, but never in CI.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JunitParserFactAttribute : FactAttribute
{
    public const string Reason = "python3 with junitparser is not installed: apt-get install python3-junitparser, as .ci/run does";

    /// <summary>Debian's interpreter, where its python3-junitparser package installs, when there is one (a pyenv or venv python3 first on PATH would not see it).</summary>
    public static string Python { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static readonly Lazy<bool> Installed = new(() =>
    {
        try
        {
            using var python = Process.Start(new ProcessStartInfo(Python, ["-c", "import junitparser"]) { RedirectStandardError = true, UseShellExecute = false })!;
            python.WaitForExit(30_000);
            return python.HasExited && python.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public JunitParserFactAttribute()
    {
        if (!Installed.Value && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Reason;
        }
    }
}
