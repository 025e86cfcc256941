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
                $"Step '{step.Id}' has type 'script' but its config is {step.Config.GetType().Name}; a script step needs config.command.") with { CouldNotStart = true };
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
                ProcessRunStatus.NotStarted => StepExecutionResult.Failed(run.Error ?? $"'{config.Command}' could not be started.") with { CouldNotStart = true },
                _ => ScriptOutcome.WithOutputs(ToResult(config, run), outputFile, context.Options.OutputLimitBytes),
            };
        }
        finally
        {
            TryDelete(outputFile);
        }
    }

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
            error = ScriptOutcome.WithStderrTail(error, run.Stderr);
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
}
