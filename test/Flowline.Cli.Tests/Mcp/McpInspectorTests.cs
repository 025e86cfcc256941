using System.Text.Json;

namespace Flowline.Cli.Tests.Mcp;

/// <summary>
/// <c>flowline mcp</c> with a real third-party client, the MCP Inspector's command-line mode (issue 16): it starts
/// the built CLI over stdio, lists the tools and calls one.
/// </summary>
public sealed class McpInspectorTests
{
    [McpInspectorFact]
    public async Task The_mcp_inspector_lists_and_calls_the_tools()
    {
        Assert.NotNull(McpInspectorFactAttribute.Command);
        using var root = new TempDir();
        root.Write("hello.yaml", Workflows.Of("hello", "description: Says hello.", Workflows.Sh("greet", "echo hello")));
        string[] server =
        [
            "--", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "flowline.dll"),
            "mcp", "--root", root.Path, "--state-dir", root.File(".flowline"),
        ];

        using var list = FlowlineProcess.StartCommand(McpInspectorFactAttribute.Command!, ["--cli", "--method", "tools/list", .. server], new Dictionary<string, string>(), root.Path);
        Assert.Equal(0, await list.WaitForExitAsync());
        using (var tools = JsonDocument.Parse(list.Stdout))
        {
            Assert.Contains(tools.RootElement.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "run_workflow");
        }

        using var call = FlowlineProcess.StartCommand(
            McpInspectorFactAttribute.Command!,
            ["--cli", "--method", "tools/call", "--tool-name", "list_workflows", .. server],
            new Dictionary<string, string>(),
            root.Path);
        Assert.Equal(0, await call.WaitForExitAsync());
        Assert.Contains("hello.yaml", call.Stdout, StringComparison.Ordinal);
    }
}
