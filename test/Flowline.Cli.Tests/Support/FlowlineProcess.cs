using System.Diagnostics;
using System.Text;

namespace Flowline.Cli.Tests;

/// <summary>
/// The built CLI as a child process (<c>dotnet flowline.dll …</c>, the test output folder holds it), for what only a
/// real process shows: signals, exit codes, stdout that is not a terminal.
/// </summary>
internal sealed class FlowlineProcess : IDisposable
{
    /// <summary>Readers see a killed run as interrupted after 1 s without a heartbeat instead of 6 s (StateOptions).</summary>
    public static readonly IReadOnlyDictionary<string, string> ShortHeartbeat =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["FLOWLINE_HEARTBEAT_TIMEOUT"] = "1s" };

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private FlowlineProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static FlowlineProcess Start(params string[] args) => StartIn(Environment.CurrentDirectory, args);

    /// <summary>Starts the CLI in <paramref name="workingDirectory"/>, where relative file arguments resolve.</summary>
    public static FlowlineProcess StartIn(string workingDirectory, params string[] args) =>
        StartWith(new Dictionary<string, string>(), workingDirectory, args);

    /// <summary>Starts the CLI with extra environment variables (such as <c>FLOWLINE_HEARTBEAT_TIMEOUT</c>).</summary>
    public static FlowlineProcess StartWith(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
        => StartCommand(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "flowline.dll"), .. args],
            environment,
            workingDirectory);

    /// <summary>Starts <paramref name="command"/>, which runs the CLI in turn (a wrapper that changes what it inherits).</summary>
    public static FlowlineProcess StartCommand(string command, string[] args, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // The plain view whatever the environment the tests run in.
        startInfo.Environment["CI"] = "true";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var cli = new FlowlineProcess(process);
        process.OutputDataReceived += (_, e) => Append(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(cli._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    public void Signal(int signal) => Processes.Signal(_process.Id, signal);

    /// <summary>The exit code; the CLI is killed and the test fails if it runs longer than 60 s.</summary>
    public Task<int> WaitForExitAsync() => WaitForExitAsync(TimeSpan.FromSeconds(60));

    /// <summary>The exit code; the CLI is killed and the test fails if it runs longer than <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var bound = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"flowline did not exit within {limit.TotalSeconds} s. stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        // The parameterless wait also drains the redirected streams.
        await _process.WaitForExitAsync(CancellationToken.None);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder into, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.Append(line).Append('\n');
        }
    }
}
