using System.Reflection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary>
/// <c>flowline mcp</c>'s server (issue 16, docs/mcp.md): the official MCP SDK over stdio, with Flowline's seven
/// tools. It runs until the client closes stdin or the process is signalled; runs it started and that are still
/// going are then cancelled, their processes stopped, before it returns.
/// </summary>
internal static class FlowlineMcpServer
{
    public static async Task RunAsync(McpWorkspace workspace, CancellationToken cancellationToken)
    {
        var getRun = new GetRunTool(workspace);
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation
            {
                Name = "flowline",
                Version = typeof(FlowlineMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
            },
            ServerInstructions =
                "Flowline runs YAML workflows (steps with dependencies, run in parallel). list_workflows finds the workflow files under "
                + $"{workspace.Root}; validate_workflow checks one; run_workflow starts it and returns a runId; get_run, get_step_log, "
                + "list_runs and cancel_run follow and control runs. Paths are relative to the root; nothing outside it is read or run.",
            ToolCollection =
            [
                new ListWorkflowsTool(workspace),
                new ValidateWorkflowTool(workspace),
                new RunWorkflowTool(workspace, getRun),
                getRun,
                new GetStepLogTool(workspace),
                new CancelRunTool(workspace, getRun),
                new ListRunsTool(workspace),
            ],
        };

        try
        {
            await using var transport = new StdioServerTransport(options);
            await using var server = McpServer.Create(transport, options);
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            await workspace.Runs.CancelAllAsync();
        }
    }
}
