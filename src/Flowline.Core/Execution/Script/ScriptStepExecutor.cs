using System.Globalization;
using System.Text;
using Flowline.Binding;
using Flowline.Execution.Processes;

namespace Flowline.Execution.Script;

/// <summary>
/// Runs <c>script</c> steps (issue #3, spec "Script Steps"): <c>command</c> with <c>args</c> as an argument vector,
/// in <c>workingDirectory</c> (relative to the workflow file's folder), with this process's environment plus the
/// context's, through <see cref="ProcessLauncher"/>.
/// </summary>
/// <remarks>
/// <para>
/// Success is exit code 0; <see cref="StepExecutionResult.Output"/> is the trimmed stdout. Stdout and stderr are
/// each captured up to <see cref="ProcessLauncherOptions.MaxCapturedBytes"/> (first and last half kept, the middle
/// replaced by <c>[… N bytes cut …]</c>); every line also goes to the step log as it arrives.
/// </para>
/// <para>
/// Named outputs (issue 4): each attempt gets a fresh empty file, named by <c>FLOWLINE_OUTPUT</c> in its environment;
/// the <c>KEY=value</c> lines and <c>KEY&lt;&lt;DELIM</c> blocks the step appends become
/// <see cref="StepExecutionResult.Outputs"/>, and the file is deleted. A file that breaks the format fails the step.
/// </para>
/// <para>
/// A step timeout returns a failed result whose error says it timed out, with <c>Metadata["timedOut"] = true</c>.
/// Cancellation of the token throws <see cref="OperationCanceledException"/>, only once the process tree is dead;
/// the runner records the step as cancelled. Any other problem (missing command or folder, non-zero exit) is a
/// failed result, never an exception.
/// </para>
/// </remarks>
internal sealed partial class ScriptStepExecutor : StepExecutor
{
    private const int StderrTailLines = 5;
    private const int StderrTailChars = 2000;

    private readonly ProcessLauncher? _fixedLauncher;

    /// <summary>An executor that takes its capture limit and kill grace period from each run's <see cref="ExecutionOptions"/>.</summary>
    public ScriptStepExecutor()
    {
    }

    /// <summary>An executor with the given capture limit and kill grace period, whatever the run's options say.</summary>
    public ScriptStepExecutor(ProcessLauncherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _fixedLauncher = new ProcessLauncher(options);
    }

    /// <inheritdoc />
    public override string Type => "script";

    /// <inheritdoc />
    public override async Task<StepExecutionResult> ExecuteAsync(
        WorkflowStep step,
        StepExecutionContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(context);
        if (step.Config is not ScriptStepConfig config)
        {
            return StepExecutionResult.Failed(
                $"Step '{step.Id}' has type 'script' but its config is {step.Config.GetType().Name}; a script step needs config.command.");
        }

        var workingDirectory = config.WorkingDirectory is null
            ? context.WorkingDirectory
            : Path.GetFullPath(config.WorkingDirectory, context.WorkingDirectory);
        var outputFile = Path.GetTempFileName();
        try
        {
            var environment = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal)
            {
                [OutputFile.Variable] = outputFile,
            };
            var spec = new ProcessSpec
            {
                Command = config.Command,
                Arguments = config.Args,
                WorkingDirectory = workingDirectory,
                Environment = environment,
                Unset = context.HiddenEnvironment,
                Timeout = config.Timeout,
            };

            var run = await LauncherFor(context.Options).RunAsync(spec, context.Log, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            return run.Status switch
            {
                ProcessRunStatus.Cancelled => throw new OperationCanceledException(
                    $"Step '{step.Id}' was cancelled; '{config.Command}' and its child processes were stopped.", cancellationToken),
                ProcessRunStatus.NotStarted => StepExecutionResult.Failed(run.Error ?? $"'{config.Command}' could not be started."),
                _ => WithOutputs(ToResult(config, run), outputFile, context.Options.OutputLimitBytes),
            };
        }
        finally
        {
            TryDelete(outputFile);
        }
    }

    private static StepExecutionResult WithOutputs(StepExecutionResult result, string outputFile, int limitBytes)
    {
        string text;
        try
        {
            var info = new FileInfo(outputFile);
            if (info.Length == 0)
            {
                return result;
            }

            if (info.Length > limitBytes)
            {
                return Broken(result, string.Create(CultureInfo.InvariantCulture, $"{OutputFile.Variable} holds {info.Length} bytes, more than the output limit of {limitBytes}; write large data to a file and output its path"));
            }

            text = File.ReadAllText(outputFile);
        }
        catch (IOException exception)
        {
            return Broken(result, $"{OutputFile.Variable} could not be read: {exception.Message}");
        }

        return OutputFile.TryParse(text, out var outputs, out var error)
            ? result with { Outputs = outputs }
            : Broken(result, error);
    }

    private static StepExecutionResult Broken(StepExecutionResult result, string error) =>
        result.Success ? result with { Success = false, Error = error } : result;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover empty temp file is harmless, and the step's outcome matters more.
        }
        catch (UnauthorizedAccessException)
        {
            // As above (the step may have changed the file's permissions).
        }
    }

    private ProcessLauncher LauncherFor(ExecutionOptions options) => _fixedLauncher ?? ProcessLauncher.ForRun(options);

    private static StepExecutionResult ToResult(ScriptStepConfig config, ProcessRunResult run)
    {
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (run.ResolvedPath is not null)
        {
            metadata["command"] = run.ResolvedPath;
        }

        if (run.LeftoverProcessesKilled > 0)
        {
            metadata["leftoverProcessesKilled"] = run.LeftoverProcessesKilled;
        }

        string? error = null;
        if (run.Status == ProcessRunStatus.TimedOut)
        {
            metadata["timedOut"] = true;
            error = $"'{config.Command}' timed out after {Durations.Format(config.Timeout ?? TimeSpan.Zero)} and was killed with its child processes. Raise config.timeout if it needs longer.";
        }
        else if (run.ExitCode != 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"'{config.Command}' exited with code {run.ExitCode}.");
        }

        if (error is not null)
        {
            var tail = LastLines(run.Stderr);
            if (tail.Length > 0)
            {
                error += Environment.NewLine + "stderr (last lines):" + Environment.NewLine + tail;
            }

            if (!run.TreeConfirmedDead)
            {
                error += Environment.NewLine + "Some of its processes could not be confirmed dead after SIGKILL.";
            }
        }

        return new StepExecutionResult
        {
            Success = error is null,
            Output = run.Stdout.Trim(),
            Stdout = run.Stdout,
            Stderr = run.Stderr,
            ExitCode = run.ExitCode,
            Error = error,
            Metadata = metadata,
        };
    }

    private static string LastLines(string text)
    {
        var span = text.AsSpan().TrimEnd();
        if (span.Length > StderrTailChars)
        {
            span = span[^StderrTailChars..];
        }

        var start = span.Length;
        for (var lines = 0; lines < StderrTailLines && start > 0; lines++)
        {
            var newline = span[..(start - 1)].LastIndexOf('\n');
            start = newline + 1;
            if (newline < 0)
            {
                break;
            }
        }

        return span[start..].ToString();
    }

}
