using System.Runtime.CompilerServices;

namespace Flowline.Cli.Tests;

/// <summary>
/// Every <c>flowline run</c> records into a state folder (issue #6). Tests that do not choose one record into a
/// throw-away folder for this test process, never a <c>.flowline/</c> in the repository or the output folder.
/// Child processes inherit it.
/// </summary>
internal static class StateIsolation
{
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "flowline-cli-state-" + Environment.ProcessId);

    [ModuleInitializer]
    internal static void Initialize()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FLOWLINE_STATE_DIR")))
        {
            Environment.SetEnvironmentVariable("FLOWLINE_STATE_DIR", Folder);
        }
    }
}
