using System.CommandLine;
using Flowline.Cli.Rendering;

namespace Flowline.Cli.Commands;

/// <summary><c>flowline graph FILE [--format mermaid|dot|text] [--expand]</c>.</summary>
internal static class GraphCommand
{
    public static Command Create(CliConsole console)
    {
        var file = FileArguments.RejectingOptions(new Argument<string>("file") { Description = "Workflow file." });
        var format = new Option<string>("--format")
        {
            Description = "Output format: mermaid (renders on GitHub), dot (Graphviz) or text.",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot", "text");
        var executor = ExecutorOption.Create("Draw the plan as `flowline run --executor` would run it: script steps on local or slurm.");
        var expand = new Option<bool>("--expand")
        {
            Description = "Draw the steps of each `type: workflow` step's child workflow inside it (as STEP/CHILD), recursively.",
        };
        var command = new Command("graph", "Print the dependency graph, steps grouped by dependency level.") { file, format, executor, expand };
        command.SetAction(async (parseResult, _) =>
        {
            var (definition, validation) = await WorkflowFiles.LoadAsync(parseResult.GetValue(file)!, console, executor: parseResult.GetValue(executor));
            if (definition is null || validation?.Plan is not { } plan)
            {
                return ExitCodes.InvalidInput;
            }

            var text = GraphRenderer.Render(plan, parseResult.GetValue(format) ?? "mermaid", parseResult.GetValue(expand));
            await console.Out.WriteAsync(text);
            return ExitCodes.Success;
        });
        return command;
    }
}
