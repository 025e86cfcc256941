using System.CommandLine;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// The state side of <c>flowline run</c> and <c>flowline resume</c>: the open store, the new run's id (printed as
/// <c>run ID</c> on stderr when the run starts, a stable line scripts can read) and the options that record it.
/// </summary>
internal sealed class RunRecording : IAsyncDisposable
{
    private RunRecording(SqliteRunStore? store, bool failed)
    {
        Store = store;
        Failed = failed;
    }

    /// <summary>The store; null with <c>--no-state</c> or when opening failed.</summary>
    public SqliteRunStore? Store { get; }

    /// <summary>The store could not be opened; the error is already written.</summary>
    public bool Failed { get; }

    public static async Task<RunRecording> OpenAsync(ParseResult parseResult, StateOptions state, CliConsole console, CancellationToken cancellationToken)
    {
        if (state.Disabled(parseResult))
        {
            return new RunRecording(null, failed: false);
        }

        var store = await state.OpenAsync(parseResult, readOnly: false, console, cancellationToken);
        return new RunRecording(store, failed: store is null);
    }

    /// <summary>Gives the run a ULID, prints it to <paramref name="announce"/> (null with --quiet), and points the options at the store.</summary>
    public async Task<ExecutionOptions> ApplyAsync(ExecutionOptions options, CliConsole console, TextWriter? announce, string? resumedFrom = null)
    {
        if (Store is null)
        {
            return options;
        }

        var runId = RunRecord.NewId();
        if (announce is not null)
        {
            await announce.WriteLineAsync(resumedFrom is null ? $"run {runId}" : $"run {runId} (resuming {resumedFrom})");
        }

        return Recorded(Store, options, console, runId);
    }

    /// <summary>The options that record a run as <paramref name="runId"/> in <paramref name="store"/>; <c>flowline mcp</c> starts its runs with these too.</summary>
    public static ExecutionOptions Recorded(SqliteRunStore store, ExecutionOptions options, CliConsole console, string runId) =>
        options with { RunStore = new WarningRunStore(store, console), RunId = runId, StateDirectory = store.Directory };

    public async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
    }
}
