using System.Collections.Concurrent;
using Flowline.Execution.Processes;
using Flowline.Execution.Script;

namespace Flowline.Core.Tests.Execution;

/// <summary>A temp folder with executable /bin/sh scripts, and a script step runner that records the log.</summary>
internal sealed class ScriptTestBed : IDisposable
{
    public ScriptTestBed()
    {
        Folder = Directory.CreateTempSubdirectory("flowline-proc-").FullName;
    }

    public string Folder { get; }

    public ConcurrentQueue<(string Line, LogStream Stream)> Log { get; } = new();

    /// <summary>Completes with the first stdout line equal to "ready".</summary>
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProcessLauncherOptions Options { get; init; } = new()
    {
        KillGracePeriod = TimeSpan.FromMilliseconds(500),
        KillTimeout = TimeSpan.FromSeconds(10),
    };

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    /// <summary>Writes an executable sh script and returns its full path.</summary>
    public string Script(string name, string body) => Executable(name, "#!/bin/sh\n" + body + "\n");

    /// <summary>Writes an executable file and returns its full path.</summary>
    public string Executable(string name, string content)
    {
        var path = Path(name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public Task<StepExecutionResult> RunAsync(
        ScriptStepConfig config,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        var step = new WorkflowStep { Id = "step", Name = "step", Type = "script", Config = config };
        var workflow = new WorkflowDefinition { Name = "test", Version = "1.0.0", Steps = [step] };
        var context = new StepExecutionContext(
            "run-1",
            workflow,
            Folder,
            environment ?? new Dictionary<string, string>(),
            timeProvider ?? TimeProvider.System,
            1,
            (line, stream) =>
            {
                Log.Enqueue((line, stream));
                if (stream == LogStream.Stdout && line == "ready")
                {
                    Ready.TrySetResult();
                }
            });
        return new ScriptStepExecutor(Options).ExecuteAsync(step, context, cancellationToken);
    }

    public int ReadPid(string name) => int.Parse(File.ReadAllText(Path(name)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True when the process no longer runs: no /proc entry, or an unreaped zombie.</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
