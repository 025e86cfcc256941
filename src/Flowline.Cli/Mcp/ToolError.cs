namespace Flowline.Cli.Mcp;

/// <summary>
/// A tool call the model got wrong or that cannot be done (a path outside the root, an unknown run): becomes a tool
/// result with <c>isError</c> and this message, which says how to fix the call, so the model can try again.
/// </summary>
internal sealed class ToolError(string message) : Exception(message);
