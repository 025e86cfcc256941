using Flowline.Expressions;

namespace Flowline.Cli.Commands;

/// <summary>
/// A workflow's declared variables on the command line (issue 13, docs/variables.md): the check of <c>--var</c> and
/// <c>--vars-file</c> values before any step starts, and the listing that <c>validate --verbose</c> and
/// <c>run FILE --help</c> print.
/// </summary>
internal static class WorkflowVariables
{
    /// <summary>Writes every problem with the given values to stderr; false when there is any (the caller exits 2).</summary>
    public static async Task<bool> CheckAsync(WorkflowDefinition definition, IReadOnlyDictionary<string, object?> given, CliConsole console)
    {
        var resolution = DeclaredVariables.Resolve(definition, given);
        foreach (var problem in resolution.Problems)
        {
            await console.Error.WriteLineAsync(problem.ToString());
        }

        return resolution.IsValid;
    }

    /// <summary>One line per declared variable, as options are listed: <c>--var NAME=&lt;type&gt;</c>, description, default.</summary>
    public static IEnumerable<string> Lines(WorkflowDefinition definition)
    {
        var usages = definition.Variables.Select(static v => $"--var {v.Key}=<{Placeholder(v.Value)}>").ToList();
        var width = usages.Count == 0 ? 0 : usages.Max(static u => u.Length);
        var i = 0;
        foreach (var (_, variable) in definition.Variables)
        {
            var notes = new List<string>();
            if (variable.Description is { Length: > 0 } description)
            {
                notes.Add(description);
            }

            if (variable.Required)
            {
                notes.Add("(required)");
            }

            if (variable.Default is not null)
            {
                notes.Add($"[default: {ValueFormatter.Render(variable.Default)}]");
            }

            yield return ("  " + usages[i++].PadRight(width) + "  " + string.Join(" ", notes)).TrimEnd();
        }
    }

    private static string Placeholder(VariableDefinition variable) => variable.Enum is { Count: > 0 } options
        ? string.Join("|", options.Select(static o => ValueFormatter.Render(o)))
        : variable.Type switch
        {
            VariableType.Number => "number",
            VariableType.Boolean => "true|false",
            VariableType.List => "list, from --vars-file",
            _ => "string",
        };
}
