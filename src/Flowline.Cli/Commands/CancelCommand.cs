using System.CommandLine;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline cancel RUN_ID</c> (issue 17): stops a running run from another terminal, the way the dashboard's
/// Cancel button does (<see cref="RunCancellation"/>): the request goes through the store, the engine recording the
/// run stops it as Ctrl+C would, and this command returns once the run has stopped.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("run-id") { Description = "The run's id, or a unique prefix of it." };
        var command = new Command("cancel", "Cancel a running run, wherever it was started (another terminal, flowline serve, flowline mcp).") { id };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await state.OpenAsync(parseResult, readOnly: false, console, cancellationToken);
            if (store is null || await RunIds.FindAsync(store, parseResult.GetValue(id)!, console, cancellationToken) is not { } run)
            {
                return ExitCodes.InvalidInput;
            }

            var outcome = await RunCancellation.CancelAsync(store, run, RunOrigins.Requester(RunOrigins.Cancel), cancellationToken);
            switch (outcome.Result)
            {
                case CancelResult.NotRunning:
                    await console.Error.WriteLineAsync($"error: {RunCancellation.NotRunningText(run.Id, outcome.Status)}");
                    return ExitCodes.InvalidInput;
                case CancelResult.StillStopping:
                    await console.Error.WriteLineAsync($"error: {RunCancellation.StillStoppingText(run.Id)}");
                    return ExitCodes.WorkflowFailed;
                default:
                    await console.Out.WriteLineAsync($"run {run.Id} {RunText.Status(outcome.Status)}");
                    return outcome.Status == RunStatus.Cancelled ? ExitCodes.Success : ExitCodes.WorkflowFailed;
            }
        });
        return command;
    }
}
