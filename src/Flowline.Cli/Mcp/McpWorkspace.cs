using Flowline.Agents.Tools;
using Flowline.Cli.Commands;
using Flowline.State;

namespace Flowline.Cli.Mcp;

/// <summary>
/// What every tool of one <c>flowline mcp</c> server shares: the root it may touch, the run store its runs are
/// recorded in (the same one <c>flowline runs</c> reads) and the runs it started that are still going.
/// </summary>
internal sealed class McpWorkspace(string root, SqliteRunStore store, CliConsole console)
{
    private readonly ConfinedPath _root = new(root, "the root");

    public string Root => _root.Root;

    public SqliteRunStore Store { get; } = store;

    /// <summary>Warnings go to stderr: stdout carries the protocol.</summary>
    public CliConsole Console { get; } = console;

    public BackgroundRuns Runs { get; } = new();

    /// <summary>A file or folder the model named, resolved inside the root; anything escaping it is a <see cref="ToolError"/>.</summary>
    public string Resolve(string tool, string? path)
    {
        if (path is not null && Path.IsPathRooted(path))
        {
            // An absolute path inside the root (one the model read from a tool result) is as good as a relative one.
            path = Path.GetRelativePath(Root, Path.GetFullPath(path));
        }

        return _root.TryResolve(path, out var resolved, out var error)
            ? resolved
            : throw new ToolError($"{tool}: {error}; this server only works under {Root}.");
    }

    /// <summary>The path as the model should give it back: relative to the root, with '/'.</summary>
    public string Relative(string full) => _root.Relative(full);
}
