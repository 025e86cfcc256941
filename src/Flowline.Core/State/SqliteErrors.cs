using Microsoft.Data.Sqlite;

namespace Flowline.State;

/// <summary>Turns SQLite's errors into <see cref="RunStoreException"/>s that say what to do (STYLE rule 11).</summary>
internal static class SqliteErrors
{
    private const string Escape = "or run with --no-state to run without recording history";

    // Primary result codes (https://www.sqlite.org/rescode.html).
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Auth = 23;
    private const int NotADatabase = 26;

    public static bool IsBusy(SqliteException exception) => Primary(exception) is Busy or Locked;

    public static RunStoreException Wrap(SqliteException exception, string path, string operation, bool openedReadOnly)
    {
        var detail = exception.Message;
        var message = Primary(exception) switch
        {
            Corrupt or NotADatabase =>
                $"The state database '{path}' is damaged or is not a Flowline database ({detail}). Move or delete the file to start with an empty run history, {Escape}.",
            ReadOnly when openedReadOnly =>
                $"The state database '{path}' was opened read-only, so Flowline cannot record runs while {operation}. Open it read-write, {Escape}.",
            ReadOnly =>
                $"The state database '{path}' is read-only, so Flowline cannot record runs ({detail}). Make the file and its folder writable, choose another folder with --state-dir or FLOWLINE_STATE_DIR, {Escape}.",
            CantOpen or Perm or Auth =>
                $"Flowline cannot open the state database '{path}' ({detail}). Check that its folder exists and is writable, choose another folder with --state-dir or FLOWLINE_STATE_DIR, {Escape}.",
            Busy or Locked =>
                $"The state database '{path}' stayed locked by another process while {operation} ({detail}). Try again, {Escape}.",
            Full =>
                $"The disk holding the state database '{path}' is full. Free space or prune old runs with 'flowline runs prune', {Escape}.",
            IoErr =>
                $"Reading or writing the state database '{path}' failed while {operation} ({detail}). Check the disk and the file, {Escape}.",
            _ =>
                $"The state database '{path}' failed while {operation} ({detail}). {char.ToUpperInvariant(Escape[0])}{Escape[1..]}.",
        };
        return new RunStoreException(message, path, exception);
    }

    public static RunStoreException WrapIo(Exception exception, string path, string operation) => new(
        IsDiskFull(exception)
            ? $"The disk holding '{path}' is full ({exception.Message}). Free space or prune old runs with 'flowline runs prune', {Escape}."
            : $"Flowline cannot use '{path}' while {operation} ({exception.Message}). Check that the folder is writable, choose another state folder with --state-dir or FLOWLINE_STATE_DIR, {Escape}.",
        path,
        exception);

    // A row another tool edited (or a damaged page SQLite did not notice) must not escape as a raw parse error.
    public static RunStoreException Unreadable(Exception exception, string path, string operation) => new(
        $"The state database '{path}' holds a value this Flowline cannot read while {operation} ({exception.Message}). Move or delete the file to start with an empty run history, {Escape}.",
        path,
        exception);

    // ENOSPC and EDQUOT on Linux (.NET keeps the errno as the HResult of an IOException it does not map), and Windows' ERROR_DISK_FULL.
    private static bool IsDiskFull(Exception exception) => exception is IOException { HResult: 28 or 122 or unchecked((int)0x80070070) };

    private static int Primary(SqliteException exception) => exception.SqliteErrorCode & 0xFF;
}
