using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Flowline.State;

/// <summary>
/// The default <see cref="IRunStore"/>: one SQLite database per project (<c>.flowline/flowline.db</c>, issue #6)
/// in WAL mode, so several Flowline processes can record runs at once. Every write is one immediate
/// transaction; a lock held by another process is waited for (<see cref="RunStoreOptions.BusyTimeout"/>) and
/// then retried. Errors surface as <see cref="RunStoreException"/>, never as raw SQLite exceptions.
/// A running run's status is reported as <see cref="RunStatus.Interrupted"/> at query time once its heartbeat
/// is older than <see cref="RunStoreOptions.HeartbeatTimeout"/>; nothing is rewritten, so a stalled process
/// that heartbeats again shows as running again, and a read-only store reports the same thing.
/// </summary>
public sealed partial class SqliteRunStore : IRunStore, IAsyncDisposable, IDisposable
{
    private const int MaxBusyAttempts = 4;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RunStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private bool _disposed;

    private SqliteRunStore(StateDirectory directory, SqliteConnection connection, RunStoreOptions options, TimeProvider timeProvider)
    {
        Directory = directory;
        _connection = connection;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>The state folder holding the database and the run logs.</summary>
    public StateDirectory Directory { get; }

    /// <summary>The database file.</summary>
    public string DatabasePath => Directory.DatabasePath;

    /// <summary>
    /// Opens (and creates, unless read-only) the database in <paramref name="directory"/>, applying schema
    /// migrations. A database written by a newer Flowline is refused, never rewritten.
    /// </summary>
    /// <exception cref="RunStoreException">The folder or database cannot be used; the message says why and what to do.</exception>
    public static async Task<SqliteRunStore> OpenAsync(
        StateDirectory directory,
        RunStoreOptions? options = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        options ??= new RunStoreOptions();
        var path = directory.DatabasePath;
        if (File.Exists(directory.Path))
        {
            throw new RunStoreException(
                $"The state folder '{directory.Path}' is a file, not a folder, so Flowline can neither read nor record runs there. Move or rename the file, choose another folder with --state-dir or FLOWLINE_STATE_DIR, or run with --no-state to run without recording history.",
                directory.Path);
        }

        if (options.ReadOnly)
        {
            if (!File.Exists(path))
            {
                throw new RunStoreException(
                    $"There is no state database at '{path}' yet: no run has been recorded in this project. Run a workflow first, or point --state-dir or FLOWLINE_STATE_DIR at the right folder.",
                    path);
            }
        }
        else
        {
            try
            {
                System.IO.Directory.CreateDirectory(directory.Path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw SqliteErrors.WrapIo(exception, directory.Path, "creating the state folder");
            }
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection per store; pooling would keep files open after disposal.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfUnexpectedlyReadOnly(connection, path, options.ReadOnly);
            Configure(connection, options);
            Migrate(connection, path, options.ReadOnly);
            return new SqliteRunStore(directory, connection, options, timeProvider ?? TimeProvider.System);
        }
        catch (SqliteException exception)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw SqliteErrors.Wrap(exception, path, "opening it", options.ReadOnly);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _connection.Dispose();
        _gate.Dispose();
    }

    // SQLite quietly opens a file it cannot write (chmod 0444, a read-only mount) read-only; fail now, before a
    // run starts, rather than at its first recorded step.
    private static void ThrowIfUnexpectedlyReadOnly(SqliteConnection connection, string path, bool openedReadOnly)
    {
        if (!openedReadOnly && SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            throw new RunStoreException(
                $"The state database '{path}' is read-only, so Flowline cannot record runs. Make the file and its folder writable, choose another folder with --state-dir or FLOWLINE_STATE_DIR, or run with --no-state to run without recording history.",
                path);
        }
    }

    private static void Configure(SqliteConnection connection, RunStoreOptions options)
    {
        Execute(connection, null, $"PRAGMA busy_timeout = {((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)};");
        Execute(connection, null, "PRAGMA foreign_keys = ON;");
        if (!options.ReadOnly)
        {
            // WAL lets readers and one writer work at once across processes; NORMAL sync in WAL mode survives a
            // process crash (the case heartbeats are about) and only risks the last commits on power loss.
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
            Execute(connection, null, "PRAGMA synchronous = NORMAL;");
        }
    }

    private static void Migrate(SqliteConnection connection, string path, bool readOnly)
    {
        var version = UserVersion(connection, null);
        ThrowIfNewer(version, path);
        if (version == SqliteSchema.LatestVersion)
        {
            return;
        }

        if (readOnly)
        {
            throw new RunStoreException(
                $"The state database '{path}' has schema version {version} and this Flowline needs version {SqliteSchema.LatestVersion}; it was opened read-only, so it cannot be upgraded. Run any command that records runs (such as 'flowline run') to upgrade it.",
                path);
        }

        // Immediate: a second process opening a fresh file at the same time waits here, then sees the new version.
        using var transaction = connection.BeginTransaction(deferred: false);
        version = UserVersion(connection, transaction);
        ThrowIfNewer(version, path);
        for (; version < SqliteSchema.LatestVersion; version++)
        {
            Execute(connection, transaction, SqliteSchema.MigrationFrom(version));
        }

        Execute(connection, transaction, $"PRAGMA user_version = {SqliteSchema.LatestVersion.ToString(CultureInfo.InvariantCulture)};");
        transaction.Commit();
    }

    private static void ThrowIfNewer(int version, string path)
    {
        if (version > SqliteSchema.LatestVersion)
        {
            throw new RunStoreException(
                $"The state database '{path}' has schema version {version}, newer than this Flowline knows ({SqliteSchema.LatestVersion}): it was written by a newer Flowline. Upgrade Flowline, use another folder with --state-dir or FLOWLINE_STATE_DIR, or run with --no-state. The file was left unchanged.",
                path);
        }
    }

    private static int UserVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction (immediate when writing), one caller at a time on this
    /// store's connection, retrying the whole transaction when another process keeps the database locked.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(bool write, string operation, Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    using var transaction = _connection.BeginTransaction(deferred: !write);
                    var result = work(transaction);
                    transaction.Commit();
                    return result;
                }
                catch (SqliteException exception) when (SqliteErrors.IsBusy(exception) && attempt < MaxBusyAttempts)
                {
                    // SQLite's busy handler already waited; this covers the locks it does not wait on (a stale WAL
                    // snapshot). Real time on purpose: an injected fake clock would never let this delay end.
                    await Task.Delay(TimeSpan.FromMilliseconds(25 * attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException exception)
                {
                    throw SqliteErrors.Wrap(exception, DatabasePath, operation, _options.ReadOnly);
                }
                catch (Exception exception) when (exception is InvalidDataException or JsonException or FormatException)
                {
                    throw SqliteErrors.Unreadable(exception, DatabasePath, operation);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
