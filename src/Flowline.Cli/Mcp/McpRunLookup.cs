using Flowline.Cli.Commands;
using Flowline.State;

namespace Flowline.Cli.Mcp;

/// <summary>Finds a run by id or prefix as every <c>flowline</c> command does (<see cref="RunIds"/>), its message becoming the tool's error.</summary>
internal static class McpRunLookup
{
    public static async Task<RunRecord> FindAsync(McpWorkspace workspace, string tool, string idOrPrefix, CancellationToken cancellationToken)
    {
        using var error = new StringWriter();
        var found = await RunIds.FindAsync(workspace.Store, idOrPrefix, new CliConsole(error, error, IsInteractive: false), cancellationToken);
        return found ?? throw new ToolError($"{tool}: {error.ToString().Trim().Replace("error: ", "", StringComparison.Ordinal)} Call list_runs to see the recent runs.");
    }
}
