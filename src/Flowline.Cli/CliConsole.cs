namespace Flowline.Cli;

/// <summary>The streams a command writes to; tests pass string writers.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static CliConsole System() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null or "" or "false");
}
