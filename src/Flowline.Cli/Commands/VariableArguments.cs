using System.CommandLine.Parsing;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>--var KEY=VALUE</c>, typed by the library's one rule (<see cref="VariablesFile.ParseValue"/>): <c>true</c>,
/// <c>false</c> and numbers in canonical spelling are typed, so that <c>variables.deployProduction === true</c> works
/// as in the spec; everything else (<c>007</c>, <c>1e5</c>, <c>1.2.0</c>) stays the text that was passed.
/// </summary>
internal static class VariableArguments
{
    /// <summary>The <c>--var</c> parser: every occurrence, later ones winning; a malformed one is a parse error.</summary>
    public static IReadOnlyDictionary<string, object?> Parse(ArgumentResult result)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            if (VariablesFile.TryParseAssignment(token.Value, out var name, out var value, out var error))
            {
                variables[name] = value;
            }
            else
            {
                result.AddError($"--var {error}.");
            }
        }

        return variables;
    }
}
