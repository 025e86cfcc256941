using System.CommandLine;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline show RUN_ID</c>: the summary report of a recorded run, or with <c>--json</c> the detailed report,
/// the same formats <c>flowline run</c> prints (docs/reports.md).
/// </summary>
internal static class ShowCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("run-id") { Description = "The run's id, or a unique prefix of it." };
        var json = new Option<bool>("--json") { Description = "Print the detailed JSON report instead of the summary." };
        var command = new Command("show", "Show the report of a recorded run.") { id, json };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await state.OpenAsync(parseResult, readOnly: true, console, cancellationToken);
            if (store is null || await RunIds.FindAsync(store, parseResult.GetValue(id)!, console, cancellationToken) is not { } run)
            {
                return ExitCodes.InvalidInput;
            }

            var steps = await store.GetStepsAsync(run.Id, cancellationToken);
            var definition = RunHistory.ToDefinition(run, steps);
            var result = RunHistory.ToResult(run, steps);

            // The runner's report generators, so a past run prints exactly as a live one (it runs nothing here).
            var reports = new WorkflowRunner();
            if (parseResult.GetValue(json))
            {
                await console.Out.WriteLineAsync(reports.GenerateDetailedReport(definition, result));
                return ExitCodes.Success;
            }

            await console.Out.WriteLineAsync($"Run: {run.Id} ({RunText.Status(run.Status)}), started {RunText.Time(run.StartedAt)} by {RunText.StartedBy(run)}");
            if (RecordedOptions.Read(run.Options).ResumedFrom is { } resumedFrom)
            {
                await console.Out.WriteLineAsync($"Resumed from: {resumedFrom}");
            }

            await console.Out.WriteAsync(reports.GenerateSummaryReport(definition, result));
            return ExitCodes.Success;
        });
        return command;
    }
}
