using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>--var KEY=VALUE</c>: values are strings, except <c>true</c>/<c>false</c> and plain decimal numbers
/// (<c>42</c>, <c>-1.5</c>), which are typed so that <c>variables.deployProduction === true</c> works as in the spec.
/// <c>007</c> and <c>1e5</c> stay strings: a version or a commit prefix must not turn into a number.
/// </summary>
internal static partial class VariableArguments
{
    /// <summary>The <c>--var</c> parser: every occurrence, later ones winning; a malformed one is a parse error.</summary>
    public static IReadOnlyDictionary<string, object?> Parse(ArgumentResult result)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            var argument = token.Value;
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                result.AddError($"--var '{argument}' must be KEY=VALUE, for example --var branch=main.");
                continue;
            }

            variables[argument[..equals]] = Typed(argument[(equals + 1)..]);
        }

        return variables;
    }

    public static object? Typed(string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ when PlainNumber().IsMatch(value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => value,
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
