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
    public static bool TryParse(
        IEnumerable<string> arguments,
        Dictionary<string, object?> into,
        out string? error)
    {
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"--var '{argument}' must be KEY=VALUE, for example --var branch=main.";
                return false;
            }

            into[argument[..equals]] = Typed(argument[(equals + 1)..]);
        }

        error = null;
        return true;
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
