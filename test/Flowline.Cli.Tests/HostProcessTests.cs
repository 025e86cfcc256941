namespace Flowline.Cli.Tests;

/// <summary>
/// What the <c>flowline</c> command sets up for its own process (issue 18): it is a child subreaper, so a step's
/// escaped process comes back to it and is terminated when the step ends; and an inherited ignored SIGCHLD is reset.
/// </summary>
public sealed class HostProcessTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Leftovers _leftovers = new();

    public void Dispose()
    {
        _leftovers.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_process_escaping_into_a_new_session_is_adopted_by_the_runner_and_gone_when_the_step_ends()
    {
        var pidFile = _dir.File("esc.pid");
        var script = $"setsid -f sh -c 'echo $$ > {pidFile}; exec sleep 301'; until [ -s {pidFile} ]; do sleep 0.01; done; "
            + $"cut -d' ' -f4 /proc/$(cat {pidFile})/stat > {_dir.File("esc.ppid")}";
        var file = _dir.Write("escape.yaml", Workflows.Of("Escape", "", Workflows.Sh("escape", script)));
        using var cli = FlowlineProcess.Start("run", "--no-state", file);

        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 0, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        var escaped = Processes.ReadPid(pidFile);
        _leftovers.Add(escaped);
        Assert.Equal(cli.Id, Processes.ReadPid(_dir.File("esc.ppid")));
        Assert.Contains("outside its process group", cli.Stdout, StringComparison.Ordinal);
        Assert.False(Processes.IsAlive(escaped), $"escaped process {escaped} survived the step");
    }

    [Theory]
    [InlineData("process")]
    [InlineData("spawn")]
    public async Task A_step_finishes_when_flowline_was_started_with_sigchld_ignored(string launcher)
    {
        var file = _dir.Write("hello.yaml", Workflows.Of("Hello", "", Workflows.Sh("hello", "echo hi")));
        var wrapper = "import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); os.execvp(sys.argv[1], sys.argv[1:])";
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        using var cli = FlowlineProcess.StartCommand(
            "python3",
            ["-c", wrapper, dotnet, Path.Combine(AppContext.BaseDirectory, "flowline.dll"), "run", "--no-state", file],
            new Dictionary<string, string> { ["FLOWLINE_LAUNCHER"] = launcher });

        var exit = await cli.WaitForExitAsync();

        Assert.True(exit == 0, $"exit {exit}\n{cli.Stdout}\n{cli.Stderr}");
        Assert.Contains("hello | hi", cli.Stdout, StringComparison.Ordinal);
    }
}
