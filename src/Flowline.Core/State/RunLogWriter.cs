using System.Text;

namespace Flowline.State;

/// <summary>
/// Appends a step's output to its log file (<see cref="StateDirectory.StepLogPath"/>), one line per call, in the
/// format <c>2026-11-26T02:34:16.123Z out text</c> (<c>out</c>, <c>err</c> or <c>inf</c>). Safe to call from the
/// stdout and stderr readers at once. Each line reaches the operating system when it is written, so a reader
/// following the file sees it at once; there is no fsync per line (the database is the durable record).
/// </summary>
public sealed class RunLogWriter : IDisposable, IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter _writer;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private bool _disposed;

    private RunLogWriter(string path, StreamWriter writer, TimeProvider timeProvider)
    {
        Path = path;
        _writer = writer;
        _timeProvider = timeProvider;
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> for appending (a retried step keeps its earlier attempts), creating its folder.</summary>
    /// <exception cref="RunStoreException">The folder or file cannot be created or opened.</exception>
    public static RunLogWriter Open(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return new RunLogWriter(path, new StreamWriter(stream, Utf8) { NewLine = "\n" }, timeProvider ?? TimeProvider.System);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw SqliteErrors.WrapIo(exception, path, "opening a step log");
        }
    }

    /// <summary>Appends <paramref name="text"/>; embedded newlines make several lines with the same time and stream.</summary>
    /// <exception cref="RunStoreException">The line cannot be written (a full disk, an I/O error); the file is then left as it is.</exception>
    public void WriteLine(string text, LogStream stream = LogStream.Stdout)
    {
        ArgumentNullException.ThrowIfNull(text);
        var time = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                foreach (var range in text.AsSpan().Split('\n'))
                {
                    var line = text.AsSpan(range).TrimEnd('\r');
                    _writer.WriteLine(RunLogFormat.Format(time, stream, line.ToString()));
                }

                _writer.Flush();
            }
            catch (IOException exception)
            {
                throw SqliteErrors.WrapIo(exception, Path, "writing a step log");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // The lines still buffered are lost (a full disk): the write that failed first has said so, and
                // closing a log must not end the run (issue 18). The file itself is closed either way.
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
