using System.CommandLine;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>--state-dir DIR</c> (and <c>FLOWLINE_STATE_DIR</c>), plus <c>--no-state</c> for <c>flowline run</c>: where the
/// run history lives (issue #6, docs/state.md). Opening failures are usage-level errors (exit 2) whose message
/// says how to go on, <c>--no-state</c> included.
/// </summary>
internal sealed class StateOptions
{
    /// <summary>
    /// Overrides <see cref="RunStoreOptions.HeartbeatTimeout"/> for readers (a duration: <c>1s</c>, <c>500ms</c>); tests
    /// use it to see a killed run as interrupted without waiting three missed heartbeats.
    /// </summary>
    public const string HeartbeatTimeoutVariable = "FLOWLINE_HEARTBEAT_TIMEOUT";

    private readonly Option<string?> _stateDir = new("--state-dir")
    {
        Description = "Folder holding the run history (default: the nearest .flowline/ folder, like .git; or FLOWLINE_STATE_DIR).",
    };

    private readonly Option<bool>? _noState;

    private StateOptions(bool allowNoState)
    {
        if (allowNoState)
        {
            _noState = new Option<bool>("--no-state") { Description = "Do not record the run (no .flowline/ folder is read or written)." };
        }
    }

    public static StateOptions AddTo(Command command, bool allowNoState = false)
    {
        var options = new StateOptions(allowNoState);
        command.Options.Add(options._stateDir);
        if (options._noState is not null)
        {
            command.Options.Add(options._noState);
        }

        return options;
    }

    public bool Disabled(ParseResult parseResult) => _noState is not null && parseResult.GetValue(_noState);

    /// <summary>The state folder: --state-dir, else FLOWLINE_STATE_DIR, else the nearest .flowline/ above <paramref name="startFolder"/> (the current folder when null).</summary>
    public StateDirectory Resolve(ParseResult parseResult, string? startFolder = null) =>
        StateDirectory.Resolve(
            parseResult.GetValue(_stateDir),
            startFolder ?? Directory.GetCurrentDirectory(),
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [StateDirectory.EnvironmentVariable] = Environment.GetEnvironmentVariable(StateDirectory.EnvironmentVariable),
            });

    /// <summary>
    /// True when the folder has no database yet (nothing recorded), so read commands can say so plainly. A file where
    /// the folder should be is not empty: opening it says what is wrong (issue 18).
    /// </summary>
    public bool IsEmpty(ParseResult parseResult)
    {
        var folder = Resolve(parseResult);
        return !File.Exists(folder.DatabasePath) && !File.Exists(folder.Path);
    }

    /// <summary>Opens the store, or writes the store's message to stderr and returns null.</summary>
    public async Task<SqliteRunStore?> OpenAsync(ParseResult parseResult, bool readOnly, CliConsole console, CancellationToken cancellationToken, string? startFolder = null)
    {
        try
        {
            return await SqliteRunStore.OpenAsync(Resolve(parseResult, startFolder), StoreOptions(readOnly), cancellationToken: cancellationToken);
        }
        catch (RunStoreException exception)
        {
            await console.Error.WriteLineAsync($"error: {exception.Message}");
            return null;
        }
    }

    /// <summary>
    /// Opens the store for writing when its database already exists; null, saying nothing, when it does not or cannot
    /// be opened (the whole-run check of <c>flowline run</c>, which leaves any error to the full run).
    /// </summary>
    public async Task<SqliteRunStore?> OpenExistingQuietlyAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var folder = Resolve(parseResult);
        if (!File.Exists(folder.DatabasePath))
        {
            return null;
        }

        try
        {
            return await SqliteRunStore.OpenAsync(folder, StoreOptions(readOnly: false), cancellationToken: cancellationToken);
        }
        catch (RunStoreException)
        {
            return null;
        }
    }

    private static RunStoreOptions StoreOptions(bool readOnly)
    {
        var options = new RunStoreOptions { ReadOnly = readOnly };
        if (Environment.GetEnvironmentVariable(HeartbeatTimeoutVariable) is { Length: > 0 } text
            && Durations.TryParse(text, out var timeout) && timeout > TimeSpan.Zero)
        {
            options = options with { HeartbeatTimeout = timeout };
        }

        return options;
    }
}
