namespace Flowline.Cli.Tests;

/// <summary>
/// A test that drives <c>flowline mcp</c> with the MCP Inspector's command-line mode (issue 16), a third-party client
/// from npm that <c>.ci/run</c> installs and names in <see cref="Variable"/>. Elsewhere the test reports itself skipped
/// with the reason, but never in CI (<c>CI=true</c>), where a missing client must fail rather than pass unseen.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class McpInspectorFactAttribute : FactAttribute
{
    public const string Variable = "FLOWLINE_TEST_MCP_INSPECTOR";

    public McpInspectorFactAttribute()
    {
        if (Command is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{Variable} is not set: install the MCP Inspector (npm install --prefix DIR @modelcontextprotocol/inspector) and set {Variable}=DIR/node_modules/.bin/mcp-inspector, as .ci/run does.";
        }
    }

    /// <summary>The inspector's executable, or null when none is given.</summary>
    public static string? Command => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;
}
