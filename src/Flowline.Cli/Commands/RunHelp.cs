using System.CommandLine;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline run FILE --help</c> (issue 13): after the standard help, the workflow's declared variables as its own
/// options. A file that cannot be read or declares none adds nothing; its problems are for <c>validate</c> and <c>run</c>.
/// </summary>
internal static class RunHelp
{
    public static async Task WriteVariablesAsync(ParseResult parseResult, CliConsole console)
    {
        // Without a FILE (plain 'flowline run --help') the argument has no value to read; there is nothing to add.
        var file = parseResult.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>().FirstOrDefault(a => a.Argument.Name == "file");
        if (file is null || file.Tokens.Count == 0 || file.Tokens[0].Value is not { Length: > 0 } path || !File.Exists(path))
        {
            return;
        }

        if (WorkflowLoader.LoadFile(path).Definition is not { Variables.Count: > 0 } definition)
        {
            return;
        }

        await console.Out.WriteLineAsync($"Workflow variables of {Path.GetFileName(path)} (--var NAME=VALUE, or --vars-file):");
        foreach (var line in WorkflowVariables.Lines(definition))
        {
            await console.Out.WriteLineAsync(line);
        }

        await console.Out.WriteLineAsync();
    }
}
