using System.Text;
using Flowline.Execution.Processes;

namespace Flowline.Execution.Slurm;

/// <summary>
/// Follows one of a job's output files (written by Slurm on the shared file system) from a byte offset: each call
/// reads what was appended since, passes every complete line on and keeps a partial last line for the next call.
/// The offset of the last complete line is what the run store keeps, so a re-attached run neither repeats nor loses lines.
/// </summary>
internal sealed class SlurmLogTail(string path, long offset, BoundedCapture capture)
{
    private const int MaxLineBytes = OutputPump.MaxLineChars;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly MemoryStream _partial = new();

    /// <summary>The byte offset just after the last line passed on.</summary>
    public long Offset { get; private set; } = offset;

    /// <summary>Reads what is new; with <paramref name="final"/> a partial last line is passed on too (the job has ended).</summary>
    public void Read(Action<string> onLine, bool final)
    {
        try
        {
            // Opened anew each time: on NFS, close-to-open consistency is what makes appended bytes visible.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            if (stream.Length < Offset + _partial.Length)
            {
                return;
            }

            stream.Position = Offset + _partial.Length;
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                Split(buffer.AsSpan(0, read), onLine);
            }
        }
        catch (FileNotFoundException)
        {
            // Not there yet: Slurm creates it when the job starts.
        }
        catch (DirectoryNotFoundException)
        {
            // As above.
        }

        if (final && _partial.Length > 0)
        {
            Emit(_partial.GetBuffer().AsSpan(0, (int)_partial.Length), onLine);
            Offset += _partial.Length;
            _partial.SetLength(0);
        }
    }

    private void Split(ReadOnlySpan<byte> data, Action<string> onLine)
    {
        capture.Append(data);
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _partial.Write(data);
                if (_partial.Length >= MaxLineBytes)
                {
                    Emit(_partial.GetBuffer().AsSpan(0, (int)_partial.Length), onLine);
                    Offset += _partial.Length;
                    _partial.SetLength(0);
                }

                return;
            }

            if (_partial.Length > 0)
            {
                _partial.Write(data[..newline]);
                Emit(_partial.GetBuffer().AsSpan(0, (int)_partial.Length), onLine);
                Offset += _partial.Length + 1;
                _partial.SetLength(0);
            }
            else
            {
                Emit(data[..newline], onLine);
                Offset += newline + 1;
            }

            data = data[(newline + 1)..];
        }
    }

    private static void Emit(ReadOnlySpan<byte> line, Action<string> onLine)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        onLine(Utf8.GetString(line));
    }
}
