using System.Collections.ObjectModel;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Flowline.Cli.Rendering;
using Flowline.Execution.Processes;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline run FILE</c>: validates, then runs the workflow with a live view (or plain lines when stdout is not a
/// terminal), prints the summary and writes the reports asked for (JSON, JUnit, Markdown). Exit codes: 0 succeeded, 1 failed or timed out,
/// 2 invalid file or usage (a report path that cannot be written included, found before the first step), 130 SIGINT,
/// 143 SIGTERM, 129 SIGHUP. A report that fails to write after the run (a full disk) exits 1.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var file = FileArguments.RejectingOptions(new Argument<string>("file") { Description = "Workflow file to run." });

        // Usage mistakes are parse errors (STYLE: user mistakes are data), so they all end the same way: the message,
        // the command's help and exit 2, before the file is even read.
        var vars = new Option<IReadOnlyDictionary<string, object?>>("--var")
        {
            Description = "Set a variable (repeatable): KEY=VALUE. true/false and plain numbers are typed, the rest are strings.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = VariableArguments.Parse,
        };
        var varsFile = new Option<string?>("--vars-file")
        {
            Description = "Read variables from a YAML or JSON file (nested values allowed); --var wins over it.",
        };
        var allowUndefined = new Option<bool>("--allow-undefined")
        {
            Description = "Render undefined template references as empty text instead of failing the step.",
        };
        var sequential = new Option<bool>("--sequential") { Description = "Run one step at a time, in dependency then file order." };
        var maxConcurrency = new Option<int?>("--max-concurrency")
        {
            Description = "Maximum number of steps running at once (1 or more).",
            CustomParser = ParseMaxConcurrency,
        };
        var continueOnError = new Option<bool>("--continue-on-error")
        {
            Description = "Keep going after a failure (like make -k); the run still fails if any step failed.",
        };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "Timeout of the whole run: milliseconds or a duration (30s, 10m, 1h30m).",
            CustomParser = ParseTimeout,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final summary line and errors." };
        var secretsFile = SecretArguments.CreateOption();
        var executor = ExecutorOption.ForRun();
        var detach = new Option<bool>("--detach")
        {
            Description = "On Ctrl+C, leave the run's Slurm jobs running instead of cancelling them; `flowline resume` re-attaches to them (docs/slurm.md).",
        };

        var force = ForceArguments.CreateOption();

        var command = new Command("run", "Run a workflow.")
        {
            file, vars, varsFile, secretsFile, allowUndefined, sequential, maxConcurrency, continueOnError, timeout, quiet, executor, detach, force,
        };
        var reports = ReportOptions.AddTo(command);
        var state = StateOptions.AddTo(command, allowNoState: true);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Before anything is read: the racy margin of the run's manifest counts from here.
            var began = TimeProvider.System.GetUtcNow();
            var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (parseResult.GetValue(varsFile) is { } varsPath)
            {
                if (!VariablesFile.TryLoad(varsPath, out var fromFile, out var diagnostics))
                {
                    foreach (var diagnostic in diagnostics)
                    {
                        await console.Error.WriteLineAsync(diagnostic.ToString());
                    }

                    return ExitCodes.InvalidInput;
                }

                foreach (var (name, value) in fromFile)
                {
                    variables[name] = value;
                }
            }

            foreach (var (name, value) in parseResult.GetValue(vars) ?? ReadOnlyDictionary<string, object?>.Empty)
            {
                variables[name] = value;
            }

            var secretsPath = parseResult.GetValue(secretsFile);
            if (await SecretArguments.LoadAsync(secretsPath, console) is not { } secrets)
            {
                return ExitCodes.InvalidInput;
            }

            // After the files that print their own warnings and errors, so the check's run prints what a full run does.
            var path = parseResult.GetValue(file)!;
            var callKey = UpToDateRuns.CallKey(
                parseResult,
                applies: !state.Disabled(parseResult) && parseResult.GetResult(force) is not { Implicit: false } && reports.Get(parseResult) == RunReports.None,
                quietTokens: ["--quiet", "-q"],
                variablesFile: parseResult.GetValue(varsFile),
                secretsFile: parseResult.GetValue(secretsFile));
            if (callKey is not null && await TryUpToDateAsync(path, callKey, began, state, parseResult, parseResult.GetValue(quiet), console, cancellationToken) is { } upToDate)
            {
                return upToDate;
            }

            // On the other core while the file loads: the first step then starts and ends as fast as the others.
            _ = Task.Run(() => StepProcesses.WarmUpAsync(), CancellationToken.None);
            var runner = new WorkflowRunner();
            var (definition, validation) = await WorkflowFiles.LoadAsync(path, console, runner: runner, executor: parseResult.GetValue(executor));
            if (definition is null || validation?.Plan is not { } plan
                || !await SecretArguments.CheckAllGivenAsync(definition, secrets, secretsPath is not null, console))
            {
                return ExitCodes.InvalidInput;
            }

            if (!await WorkflowVariables.CheckAsync(definition, variables, console))
            {
                return ExitCodes.InvalidInput;
            }

            var forced = parseResult.GetValue(force) ?? [];
            if (!await ForceArguments.CheckAsync(definition, forced, console))
            {
                return ExitCodes.InvalidInput;
            }

            WorkflowFiles.ReleaseLoadingMemory(definition);
            var runReports = reports.Get(parseResult);
            if (!await runReports.CheckAsync(console))
            {
                return ExitCodes.InvalidInput;
            }

            await using var recording = await RunRecording.OpenAsync(parseResult, state, console, cancellationToken);
            if (recording.Failed)
            {
                return ExitCodes.InvalidInput;
            }

            var options = new ExecutionOptions
            {
                Variables = variables,
                Secrets = secrets,
                Origin = RunOrigins.Run,
                AllowUndefined = parseResult.GetValue(allowUndefined),
                ContinueOnError = parseResult.GetValue(continueOnError),
                Timeout = parseResult.GetValue(timeout),
                ParallelEnabled = parseResult.GetValue(sequential) ? false : null,
                MaxConcurrency = parseResult.GetValue(maxConcurrency),
                Executor = parseResult.GetValue(executor),
                DetachOnCancel = parseResult.GetValue(detach),
                Force = ForceArguments.ForcesAll(parseResult, force),
                ForceSteps = forced,
                CacheWatch = callKey is null ? null : new Caching.CacheWatch(),
            };
            options = await recording.ApplyAsync(options, console, parseResult.GetValue(quiet) ? null : console.Error);
            var planned = plan.WithVariables(options.Variables);
            return await RunAsync(
                runner,
                planned,
                options,
                runReports,
                parseResult.GetValue(quiet),
                console,
                cancellationToken,
                finished: recording.Store is { } store && callKey is not null && options is { RunId: { } runId, CacheWatch: { } watch }
                    ? result => UpToDateRuns.KeepAsync(store, planned, result, watch, runId, callKey, began)
                    : null);
        });
        return command;
    }

    // The whole-run check needs a store that already exists; one that cannot be opened leaves it to the full run.
    private static async Task<int?> TryUpToDateAsync(string path, string callKey, DateTimeOffset began, StateOptions state, ParseResult parseResult, bool quiet, CliConsole console, CancellationToken cancellationToken)
    {
        if (await state.OpenExistingQuietlyAsync(parseResult, cancellationToken) is not { } store)
        {
            return null;
        }

        await using (store)
        {
            return await UpToDateRuns.TryRecordAsync(path, callKey, began, store, quiet, console, cancellationToken);
        }
    }

    internal static async Task<int> RunAsync(
        WorkflowRunner runner,
        WorkflowPlan plan,
        ExecutionOptions options,
        RunReports reports,
        bool quiet,
        CliConsole console,
        CancellationToken cancellationToken,
        Func<WorkflowResult, Task>? finished = null)
    {
        using var signals = new SignalCancellation(console.Error, cancellationToken);
        var definition = plan.Workflow;
        WorkflowResult result;
        if (quiet)
        {
            result = await runner.ExecuteAsync(plan, options, signals.Token);
        }
        else if (console.IsInteractive)
        {
            using var live = new LiveRunView(runner, definition, console.Out);
            result = await live.ShowAsync(runner.ExecuteAsync(plan, options, signals.Token));
        }
        else
        {
            using var plain = new PlainRunView(runner, console.Out, showOutput: true);
            result = await runner.ExecuteAsync(plan, options, signals.Token);
        }

        if (quiet)
        {
            await console.Out.WriteLineAsync(SummaryLine(definition, result));
        }
        else
        {
            await console.Out.WriteLineAsync();
            await console.Out.WriteAsync(runner.GenerateSummaryReport(definition, result));
        }

        if (!await reports.WriteAsync(runner, definition, result, console))
        {
            return signals.ExitCode ?? ExitCodes.WorkflowFailed;
        }

        if (finished is not null && signals.ExitCode is null)
        {
            await finished(result);
        }

        return signals.ExitCode ?? (result.Success ? ExitCodes.Success : ExitCodes.WorkflowFailed);
    }

    private static int? ParseMaxConcurrency(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1)
        {
            return limit;
        }

        result.AddError($"--max-concurrency '{text}' is not a valid limit; give a whole number of steps, 1 or more (--max-concurrency 4).");
        return null;
    }

    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;

        // A bare number is milliseconds, as a workflow file's `timeout: 300000` (issue #3).
        var parsed = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? Durations.TryFromMilliseconds(milliseconds, out var duration)
            : Durations.TryParse(text, out duration);
        if (parsed && duration > Durations.MaxTimeout)
        {
            result.AddError($"--timeout '{text}' is longer than the longest timeout Flowline can enforce, {Durations.MaxTimeoutText}; give a shorter one, or leave --timeout out for no timeout.");
            return null;
        }

        if (parsed && duration > TimeSpan.Zero)
        {
            return duration;
        }

        result.AddError($"--timeout '{text}' is not a positive duration; use {Durations.AcceptedForms}.");
        return null;
    }

    internal static string SummaryLine(WorkflowDefinition definition, WorkflowResult result) =>
        $"{definition.Name}: {result.Status.ToString().ToLowerInvariant()} in {Durations.Format(result.ExecutionTime)}"
        + (result.Error is null ? "" : $" — {result.Error}");
}
