using System.CommandLine;

namespace Flowline.Cli.Commands;

/// <summary><c>flowline validate FILE...</c>: exit 0 when every file is valid, 2 otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var files = FileArguments.RejectingOptions(new Argument<string[]>("files")
        {
            Description = "Workflow files to check.",
            Arity = ArgumentArity.OneOrMore,
        });
        var strict = new Option<bool>("--strict") { Description = "Treat warnings as errors." };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Also list the declared variables, and the dependencies implied by templates and conditions that read steps.X.",
        };
        var executor = ExecutorOption.Create("Check the files as `flowline run --executor` would run them: script steps on local or slurm, whatever the files say.");
        var command = new Command("validate", "Check workflow files and report every problem with its file, line and column.")
        {
            files,
            strict,
            verbose,
            executor,
        };
        command.SetAction(async (parseResult, _) =>
        {
            var exit = ExitCodes.Success;
            foreach (var file in parseResult.GetValue(files) ?? [])
            {
                var (definition, validation) = await WorkflowFiles.LoadAsync(file, console, parseResult.GetValue(strict), executor: parseResult.GetValue(executor));
                if (definition is null)
                {
                    exit = ExitCodes.InvalidInput;
                    continue;
                }

                var warnings = validation?.Warnings.Count ?? 0;
                await console.Out.WriteLineAsync(
                    $"{file}: valid — '{definition.Name}' {definition.Version}, {definition.Steps.Count} step{(definition.Steps.Count == 1 ? "" : "s")}"
                    + (warnings > 0 ? $", {warnings} warning{(warnings == 1 ? "" : "s")}" : ""));
                if (parseResult.GetValue(verbose) && definition.Variables.Count > 0)
                {
                    await console.Out.WriteLineAsync("  variables (--var NAME=VALUE):");
                    foreach (var line in WorkflowVariables.Lines(definition))
                    {
                        await console.Out.WriteLineAsync("  " + line);
                    }
                }

                if (parseResult.GetValue(verbose) && validation is not null)
                {
                    foreach (var step in definition.Steps)
                    {
                        if (validation.ImplicitDependencies.TryGetValue(step.Id, out var reads) && reads.Count > 0)
                        {
                            await console.Out.WriteLineAsync($"  {step.Id} waits for {string.Join(", ", reads)} (its condition or templates read them)");
                        }
                    }
                }
            }

            return exit;
        });
        return command;
    }
}
