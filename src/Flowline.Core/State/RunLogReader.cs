using System.Runtime.CompilerServices;
using System.Text;

namespace Flowline.State;

/// <summary>Reads step logs written by <see cref="RunLogWriter"/>, optionally following a growing file (<c>flowline logs --follow</c>).</summary>
public static class RunLogReader
{
    /// <summary>
    /// The lines of the log at <paramref name="path"/>. Without <see cref="RunLogReadOptions.Follow"/> a missing
    /// file has no lines. While following, a line is yielded once its newline is written.
    /// </summary>
    public static async IAsyncEnumerable<RunLogLine> ReadAsync(
        string path,
        RunLogReadOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new RunLogReadOptions();
        var timeProvider = options.TimeProvider ?? TimeProvider.System;

        while (!File.Exists(path))
        {
            if (!options.Follow || (options.StopFollowing is { } stop && await stop(cancellationToken).ConfigureAwait(false) && !File.Exists(path)))
            {
                yield break;
            }

            await Task.Delay(options.PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, useAsync: false);
        await using var streamScope = stream.ConfigureAwait(false);
        stream.Seek(Math.Max(0, options.StartOffset), SeekOrigin.Begin);

        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var pending = new StringBuilder();
        var stopping = false;

        while (true)
        {
            var read = await stream.ReadAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                foreach (var line in TakeLines(pending, chars.AsSpan(0, count)))
                {
                    yield return RunLogFormat.Parse(line);
                }

                continue;
            }

            if (!options.Follow || stopping)
            {
                break;
            }

            if (options.StopFollowing is { } stopFollowing && await stopFollowing(cancellationToken).ConfigureAwait(false))
            {
                // One more pass: lines written between the last read and the stop are still read.
                stopping = true;
                continue;
            }

            await Task.Delay(options.PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (pending.Length > 0)
        {
            yield return RunLogFormat.Parse(pending.ToString().TrimEnd('\r'));
        }
    }

    private static List<string> TakeLines(StringBuilder pending, ReadOnlySpan<char> chunk)
    {
        var lines = new List<string>();
        while (chunk.IndexOf('\n') is var newline and >= 0)
        {
            pending.Append(chunk[..newline]);
            lines.Add(pending.ToString().TrimEnd('\r'));
            pending.Clear();
            chunk = chunk[(newline + 1)..];
        }

        pending.Append(chunk);
        return lines;
    }
}
