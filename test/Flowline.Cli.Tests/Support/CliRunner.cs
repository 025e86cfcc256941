using Flowline.Cli;

namespace Flowline.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRunner
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await FlowlineApp.RunAsync(args, new CliConsole(stdout, stderr, IsInteractive: false), CancellationToken.None);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The run id from the <c>run ID</c> line a recorded <c>flowline run</c> prints on stderr.</summary>
    public string RunId => Stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];
}
