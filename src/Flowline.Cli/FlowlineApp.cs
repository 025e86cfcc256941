using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Flowline.Cli.Commands;

namespace Flowline.Cli;

/// <summary>Builds the command tree and maps parse errors to exit code 2 with the command's help.</summary>
internal static class FlowlineApp
{
    /// <summary>The command tree; tests parse with it to see what an option turned into.</summary>
    public static RootCommand CreateRoot(CliConsole console) =>
        new("Flowline: define automation workflows in YAML and run them fast and safely.")
        {
            ValidateCommand.Create(console),
            GraphCommand.Create(console),
            RunCommand.Create(console),
            RunsCommand.Create(console),
            ShowCommand.Create(console),
            LogsCommand.Create(console),
            ResumeCommand.Create(console),
            CancelCommand.Create(console),
            McpCommand.Create(console),
            ServeCommand.Create(console),
        };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = CreateRoot(console);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await console.Error.WriteLineAsync();
            await WriteHelpAsync(root, parseResult.CommandResult, console.Error, cancellationToken);
            return ExitCodes.InvalidInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Signals are handled by the run command itself (exit 130/143/129, second Ctrl+C exits at once).
            ProcessTerminationTimeout = null,
        };
        var exit = await parseResult.InvokeAsync(configuration, cancellationToken);
        if (parseResult.Action is HelpAction && parseResult.CommandResult.Command.Name == "run")
        {
            // System.CommandLine keeps HelpBuilder internal, so a workflow's own options follow the standard help.
            await RunHelp.WriteVariablesAsync(parseResult, console);
        }

        return exit;
    }

    // Usage errors show the help of the command the user was typing (System.CommandLine keeps HelpBuilder internal).
    private static async Task WriteHelpAsync(RootCommand root, CommandResult failing, TextWriter error, CancellationToken cancellationToken)
    {
        var path = new List<string>();
        for (SymbolResult? result = failing; result is CommandResult { Command: not RootCommand } command; result = result.Parent)
        {
            path.Insert(0, command.Command.Name);
        }

        path.Add("--help");
        await root.Parse(path).InvokeAsync(new InvocationConfiguration { Output = error, Error = error }, cancellationToken);
    }
}
