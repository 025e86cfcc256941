using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Flowline.Cli.Mcp;

/// <summary>
/// One tool of <c>flowline mcp</c> (docs/mcp.md): its name, a description written for a model, and an input schema
/// written out as JSON, so that nothing is derived by reflection (the CLI is compiled with Native AOT). The result
/// is a JSON object, sent both as structured content and as its text; a <see cref="ToolError"/> becomes a result
/// with <c>isError</c>, as the protocol asks for mistakes the model can correct.
/// </summary>
internal abstract class FlowlineTool : McpServerTool
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly Tool _tool;

    protected FlowlineTool(string name, string description, string inputSchema, bool readOnly)
    {
        _tool = new Tool
        {
            Name = name,
            Description = description,
            InputSchema = JsonElement.Parse(inputSchema),
            Annotations = new ToolAnnotations { ReadOnlyHint = readOnly, DestructiveHint = false, OpenWorldHint = false },
        };
    }

    public sealed override Tool ProtocolTool => _tool;

    /// <summary>The tool's name, which its error messages start with.</summary>
    protected string Name => _tool.Name;

    public sealed override IReadOnlyList<object> Metadata => [];

    public sealed override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await CallAsync(new ToolArguments(_tool.Name, request.Params?.Arguments), request, cancellationToken);
            var text = result.ToJsonString(Indented);
            return new CallToolResult
            {
                Content = [new TextContentBlock { Text = text }],
                StructuredContent = JsonElement.Parse(text),
            };
        }
        catch (ToolError error)
        {
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = error.Message }] };
        }
    }

    protected abstract Task<JsonObject> CallAsync(ToolArguments arguments, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken);
}
