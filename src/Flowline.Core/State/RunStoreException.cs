namespace Flowline.State;

/// <summary>
/// The state database could not be opened, read or written. The message names the file and says how to get
/// going again; the underlying SQLite or I/O error is the inner exception.
/// </summary>
public sealed class RunStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunStoreException(string message, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The database file or folder involved.</summary>
    public string Path { get; }
}
