using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text;

namespace Flowline.Execution.Processes;

/// <summary>
/// Reads one output pipe to its end: every byte goes to a <see cref="BoundedCapture"/>, and the text, decoded as
/// UTF-8 (invalid bytes become U+FFFD), goes line by line to a callback as it arrives. A line longer than
/// <see cref="MaxLineChars"/> is passed on in pieces of that size, so one endless line cannot exhaust memory.
/// </summary>
internal static class OutputPump
{
    /// <summary>The longest line passed to the callback in one piece.</summary>
    public const int MaxLineChars = 16 * 1024;

    private const int ReadBytes = 16 * 1024;

    /// <summary>
    /// Pumps <paramref name="stream"/> until it ends or <paramref name="cancellationToken"/> is cancelled (then it
    /// returns what it has; it never throws for that or for a broken pipe). When <paramref name="onLine"/> throws,
    /// reading goes on (a writer blocked on a full pipe must not hang) without further calls, and the exception is
    /// rethrown at the end.
    /// </summary>
    public static async Task PumpAsync(
        Stream stream,
        BoundedCapture capture,
        Action<string> onLine,
        CancellationToken cancellationToken)
    {
        var target = new LineTarget(onLine);
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(ReadBytes);

        // Rented on the first byte: most steps print nothing on stderr, many nothing at all, and this buffer is 128 KiB
        // (a large-object-heap array whenever the pool has none at hand), so renting it up front dominated the
        // allocations of a run of 10,000 silent steps (issue #7, B6).
        char[]? chars = null;
        var pending = 0;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(bytes.AsMemory(0, ReadBytes), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                capture.Append(bytes.AsSpan(0, read));
                chars ??= ArrayPool<char>.Shared.Rent(MaxLineChars + ReadBytes + 1);
                var decoded = decoder.GetChars(bytes, 0, read, chars, pending, flush: false);
                pending = EmitLines(chars, pending + decoded, target);
            }

            if (chars is not null)
            {
                pending += decoder.GetChars(bytes, 0, 0, chars, pending, flush: true);
                if (pending > 0)
                {
                    target.Emit(chars.AsSpan(0, pending));
                }
            }

            target.Failure?.Throw();
        }
        finally
        {
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }

            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Emits the complete lines of <c>chars[..count]</c>; moves the rest to the front and returns its length.</summary>
    private static int EmitLines(char[] chars, int count, LineTarget target)
    {
        var start = 0;
        while (true)
        {
            var newline = chars.AsSpan(start, count - start).IndexOf('\n');
            if (newline < 0)
            {
                break;
            }

            target.Emit(chars.AsSpan(start, newline));
            start += newline + 1;
        }

        var rest = count - start;
        while (rest >= MaxLineChars)
        {
            target.Emit(chars.AsSpan(start, MaxLineChars));
            start += MaxLineChars;
            rest -= MaxLineChars;
        }

        if (rest > 0 && start > 0)
        {
            Array.Copy(chars, start, chars, 0, rest);
        }

        return rest;
    }

    private sealed class LineTarget(Action<string> onLine)
    {
        private readonly Action<string> _onLine = onLine;

        public ExceptionDispatchInfo? Failure { get; private set; }

        public void Emit(ReadOnlySpan<char> line)
        {
            if (Failure is not null)
            {
                return;
            }

            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            try
            {
                _onLine(line.ToString());
            }
            catch (Exception ex)
            {
                Failure = ExceptionDispatchInfo.Capture(ex);
            }
        }
    }
}
