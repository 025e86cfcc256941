using System.CommandLine;
using Flowline.Cli.Mcp;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline mcp [--root DIR]</c> (issue 16, docs/mcp.md): a Model Context Protocol server over stdio for AI
/// agents. Runs it starts are ordinary recorded runs in the state folder found from the root. Stdout carries the
/// protocol, so everything else the server says goes to stderr.
/// </summary>
internal static class McpCommand
{
    public static Command Create(CliConsole console)
    {
        var root = new Option<string?>("--root")
        {
            Description = "The folder whose workflow files the server may list, validate and run (default: the current folder); a path outside it is refused.",
        };
        var command = new Command("mcp", "Serve workflows as tools to AI agents over the Model Context Protocol (stdio).") { root };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parseResult.GetValue(root) ?? Directory.GetCurrentDirectory());
            if (!Directory.Exists(folder))
            {
                await console.Error.WriteLineAsync($"error: --root '{folder}' is not a folder; give the folder that holds your workflow files.");
                return ExitCodes.InvalidInput;
            }

            var errors = new CliConsole(console.Error, console.Error, IsInteractive: false);
            await using var store = await state.OpenAsync(parseResult, readOnly: false, errors, cancellationToken, startFolder: folder);
            if (store is null)
            {
                return ExitCodes.InvalidInput;
            }

            using var signals = new SignalCancellation(console.Error, cancellationToken);
            await FlowlineMcpServer.RunAsync(new McpWorkspace(folder, store, errors), signals.Token);
            return signals.ExitCode ?? ExitCodes.Success;
        });
        return command;
    }
}
