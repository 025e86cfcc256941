using System.Text.RegularExpressions;

namespace Flowline.Cli.Mcp;

/// <summary>
/// The variable names a workflow's text reads as <c>variables.NAME</c>, for <c>list_workflows</c>, so a model knows
/// what to pass to <c>run_workflow</c>. When workflows declare their variables (<c>variables:</c>, issue 15) the
/// declarations are the better source; until then the file's own references are.
/// </summary>
internal static partial class WorkflowVariables
{
    public static IReadOnlyList<string> Read(string file)
    {
        var text = File.ReadAllText(file);
        return [.. Reference().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\bvariables\.([A-Za-z_][A-Za-z0-9_-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
