using System.CommandLine;
using Flowline.Execution.Processes;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline resume RUN_ID [--force] [--from STEP]</c> (issue #6): reloads the run's workflow file and runs it
/// again as a new run linked to the old one (<c>resumedFrom</c>), keeping the steps that completed or were skipped,
/// with their outputs. A step that was running when the runner died runs again (at-least-once). A file changed in
/// a way that breaks the run (a step with a result removed or renamed, dependencies changed) is refused with the
/// diff unless <c>--force</c>; <c>--from STEP</c> runs STEP and everything downstream of it again. A run whose step
/// processes still live on this machine is refused (even with <c>--force</c>: a step must never run twice at once)
/// unless <c>--kill-orphans</c> stops them first (issue 18).
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("run-id") { Description = "The run to resume: its id, or a unique prefix of it." };
        var force = new Option<bool>("--force") { Description = "Resume even if the workflow file changed in a way that breaks the run, or the run still looks alive." };
        var from = new Option<string?>("--from") { Description = "Run this step and everything downstream of it again." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final summary line and errors." };
        var killOrphans = new Option<bool>("--kill-orphans")
        {
            Description = "Stop the processes the run's steps left running on this machine (SIGTERM, then SIGKILL after 5s) before resuming.",
        };
        var executor = ExecutorOption.Create("Where script steps run: local or slurm. Default: what the run was started with (its --executor, else the file's executor:).");
        var secretsFile = SecretArguments.CreateOption();
        var command = new Command("resume", "Resume a recorded run: keep what finished, run the rest.") { id, force, from, quiet, killOrphans, executor, secretsFile };
        var reports = ReportOptions.AddTo(command);
        // --no-state still reads the old run; it only leaves the resumed run unrecorded.
        var state = StateOptions.AddTo(command, allowNoState: true);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            _ = Task.Run(() => StepProcesses.WarmUpAsync(), CancellationToken.None);
            await using var store = await state.OpenAsync(parseResult, readOnly: false, console, cancellationToken);
            if (store is null || await RunIds.FindAsync(store, parseResult.GetValue(id)!, console, cancellationToken) is not { } run)
            {
                return ExitCodes.InvalidInput;
            }

            var forced = parseResult.GetValue(force);
            var secretsPath = parseResult.GetValue(secretsFile);
            if (await SecretArguments.LoadAsync(secretsPath, console) is not { } secrets)
            {
                return ExitCodes.InvalidInput;
            }

            // ResumePlan refuses a live run too; checked here first so it is refused before the file is read.
            if (run.Status == RunStatus.Running && !forced)
            {
                await console.Error.WriteLineAsync(StillRunning(run));
                return ExitCodes.InvalidInput;
            }

            if (run.WorkflowPath is null || !File.Exists(run.WorkflowPath))
            {
                await console.Error.WriteLineAsync(
                    $"error: run {run.Id} was started from '{run.WorkflowPath ?? "(no file)"}', which no longer exists; put the workflow file back there to resume it.");
                return ExitCodes.InvalidInput;
            }

            // Issue 12: the resumed run's script steps run where the run's did (its recorded --executor), unless overridden.
            var chosenExecutor = parseResult.GetValue(executor) ?? RecordedOptions.Read(run.Options).Executor;
            var runner = new WorkflowRunner();
            var (definition, validation) = await WorkflowFiles.LoadAsync(run.WorkflowPath, console, runner: runner, executor: chosenExecutor);
            var snapshot = await store.LoadSnapshotAsync(run.Id, cancellationToken);
            if (definition is null || validation?.Plan is not { } workflowPlan || snapshot is null
                || !await SecretArguments.CheckAllGivenAsync(definition, secrets, secretsPath is not null, console))
            {
                return ExitCodes.InvalidInput;
            }

            WorkflowFiles.ReleaseLoadingMemory(definition);

            var request = new ResumeRequest { Force = forced, FromStep = parseResult.GetValue(from) };
            var plan = ResumePlan.Create(run, snapshot, definition, request);
            if (plan.Refusal == ResumeRefusal.StepProcessesRunning && parseResult.GetValue(killOrphans))
            {
                await console.Error.WriteLineAsync($"warning: stopping the processes run {run.Id} left running (pid {Pids(plan.StepProcesses)}): SIGTERM, then SIGKILL after {Durations.Format(OrphanGrace)}.");
                await ResumePlan.StopStepProcessesAsync(run.Id, OrphanGrace, cancellationToken);
                plan = ResumePlan.Create(run, snapshot, definition, request);
            }

            if (plan.Changes.Count > 0)
            {
                var writer = console.Error;
                await writer.WriteLineAsync(forced
                    ? $"warning: {run.WorkflowPath} changed since run {run.Id}; resuming anyway (--force):"
                    : $"error: {run.WorkflowPath} changed since run {run.Id} in ways that break resuming it:");
                foreach (var change in plan.Changes)
                {
                    await writer.WriteLineAsync("  " + change.Line);
                }
            }

            switch (plan.Refusal)
            {
                case ResumeRefusal.BreakingChanges:
                    await console.Error.WriteLineAsync("Start a new run with `flowline run`, or pass --force to resume anyway (steps that changed run again).");
                    return ExitCodes.InvalidInput;
                case ResumeRefusal.UnknownFromStep:
                    await console.Error.WriteLineAsync(
                        $"error: --from '{parseResult.GetValue(from)}' is not a step of {definition.Name}; its steps: {string.Join(", ", definition.Steps.Select(s => s.Id))}.");
                    return ExitCodes.InvalidInput;
                case ResumeRefusal.StillRunning:
                    await console.Error.WriteLineAsync(StillRunning(run));
                    return ExitCodes.InvalidInput;
                case ResumeRefusal.StepProcessesRunning:
                    await console.Error.WriteLineAsync(
                        $"error: run {run.Id} left processes of its steps running (pid {Pids(plan.StepProcesses)}); resuming now could run a step twice at the same time. "
                        + (parseResult.GetValue(killOrphans)
                            ? "They outlived SIGKILL; stop them by hand and try again."
                            : "Wait for them to end, or pass --kill-orphans to stop them (SIGTERM, then SIGKILL) and resume."));
                    return ExitCodes.InvalidInput;
            }

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

            var options = await recording.ApplyAsync(plan.Options with { Executor = chosenExecutor, Secrets = secrets, Origin = RunOrigins.Resume }, console, parseResult.GetValue(quiet) ? null : console.Error, resumedFrom: run.Id);
            return await RunCommand.RunAsync(
                runner,
                workflowPlan.WithVariables(options.Variables),
                options,
                runReports,
                parseResult.GetValue(quiet),
                console,
                cancellationToken);
        });
        return command;
    }

    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(5);

    private static string Pids(IReadOnlyList<int> pids) => string.Join(", ", pids);

    private static string StillRunning(RunRecord run) =>
        run.Status == RunStatus.Running
            ? $"error: run {run.Id} is still running (its last heartbeat was at {RunText.Time(run.HeartbeatAt)}); wait for it to end, or pass --force if its process is gone."
            : $"error: run {run.Id} stopped heartbeating at {RunText.Time(run.HeartbeatAt)}, but its process (pid {run.ProcessId}) is still alive on this machine; wait for it to end or stop it, or pass --force to resume beside it.";
}
