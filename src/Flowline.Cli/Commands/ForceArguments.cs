using System.CommandLine;
using System.CommandLine.Parsing;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline run --force [STEP]</c> (issue 14, docs/caching.md): alone it runs every step with <c>cache:</c>; with
/// step ids (repeatable) only those, and what depends on them through changed keys.
/// </summary>
internal static class ForceArguments
{
    public static Option<string[]> CreateOption() => new("--force")
    {
        Description = "Run steps with cache: even when up to date: all of them, or only STEP (repeatable: --force build --force test).",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
        HelpName = "STEP",
        CustomParser = Parse,
    };

    /// <summary>Whether the command line forces every step (<c>--force</c> without a step id).</summary>
    public static bool ForcesAll(ParseResult parseResult, Option<string[]> option) =>
        parseResult.GetResult(option) is { } result && result.Tokens.Count == 0 && !result.Implicit;

    /// <summary>Writes an FL1164 error for each forced id that is no step of the workflow; false when there is any (exit 2).</summary>
    public static async Task<bool> CheckAsync(WorkflowDefinition workflow, IReadOnlyList<string> ids, CliConsole console)
    {
        var errors = WorkflowValidator.CheckForcedSteps(workflow, ids);
        foreach (var error in errors)
        {
            await console.Error.WriteLineAsync(error.ToString());
        }

        return errors.Count == 0;
    }

    // An option's argument is taken greedily, so 'flowline run --force build.yaml' would read the file as a step id:
    // a token that cannot be one is a usage error that says where --force goes.
    private static string[] Parse(ArgumentResult result)
    {
        var ids = new string[result.Tokens.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            var text = result.Tokens[i].Value;
            if (text.Length == 0 || !text.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                result.AddError($"--force takes a step id, and '{text}' cannot be one; put --force after the workflow file (flowline run build.yaml --force), or force one step with --force STEP.");
                return [];
            }

            ids[i] = text;
        }

        return ids;
    }
}
