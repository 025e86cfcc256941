using System.Globalization;
using System.Text;

namespace Flowline.Execution.Processes;

/// <summary>
/// Keeps a bounded copy of a byte stream: the first half of the limit and the last half, so both how a
/// command started and how it ended survive a huge output. What falls in between is replaced by
/// <c>[… N bytes cut …]</c> on a line of its own. Nothing is allocated until bytes arrive, and the tail
/// buffer only once the head is full.
/// </summary>
internal sealed class BoundedCapture
{
    private readonly int _headLimit;
    private readonly int _tailLimit;
    private byte[] _head = [];
    private int _headCount;
    private byte[]? _tail;
    private int _tailEnd;
    private int _tailCount;

    /// <summary>A capture keeping at most <paramref name="limit"/> bytes.</summary>
    public BoundedCapture(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _tailLimit = limit / 2;
        _headLimit = limit - _tailLimit;
    }

    /// <summary>Every byte appended, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Adds the next bytes of the stream.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;

        var toHead = Math.Min(data.Length, _headLimit - _headCount);
        if (toHead > 0)
        {
            EnsureHeadCapacity(_headCount + toHead);
            data[..toHead].CopyTo(_head.AsSpan(_headCount));
            _headCount += toHead;
            data = data[toHead..];
        }

        if (data.IsEmpty || _tailLimit == 0)
        {
            return;
        }

        _tail ??= new byte[_tailLimit];
        if (data.Length >= _tailLimit)
        {
            data[^_tailLimit..].CopyTo(_tail);
            _tailEnd = 0;
            _tailCount = _tailLimit;
            return;
        }

        var first = Math.Min(data.Length, _tailLimit - _tailEnd);
        data[..first].CopyTo(_tail.AsSpan(_tailEnd));
        data[first..].CopyTo(_tail);
        _tailEnd = (_tailEnd + data.Length) % _tailLimit;
        _tailCount = Math.Min(_tailLimit, _tailCount + data.Length);
    }

    /// <summary>The kept text, decoded as UTF-8 (invalid bytes become U+FFFD), with the cut marker if any.</summary>
    public override string ToString()
    {
        if (TotalBytes == 0)
        {
            return string.Empty;
        }

        var tail = OrderedTail();
        if (TotalBytes == _headCount + tail.Length)
        {
            return tail.Length == 0
                ? Encoding.UTF8.GetString(_head, 0, _headCount)
                : Encoding.UTF8.GetString([.. _head.AsSpan(0, _headCount), .. tail]);
        }

        // Cut on character boundaries so the marker is not surrounded by replacement characters.
        var head = WithoutIncompleteEnd(_head.AsSpan(0, _headCount));
        tail = WithoutLeadingContinuations(tail);
        var cut = TotalBytes - head.Length - tail.Length;
        return string.Create(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetString(head)}\n[… {cut} bytes cut …]\n{Encoding.UTF8.GetString(tail)}");
    }

    private ReadOnlySpan<byte> OrderedTail()
    {
        if (_tail is null || _tailCount == 0)
        {
            return [];
        }

        var start = (_tailEnd - _tailCount + _tailLimit) % _tailLimit;
        if (start + _tailCount <= _tailLimit)
        {
            return _tail.AsSpan(start, _tailCount);
        }

        byte[] ordered = [.. _tail.AsSpan(start), .. _tail.AsSpan(0, _tailEnd)];
        return ordered;
    }

    private void EnsureHeadCapacity(int needed)
    {
        if (needed <= _head.Length)
        {
            return;
        }

        var size = Math.Min(_headLimit, Math.Max(needed, Math.Max(256, _head.Length * 2)));
        Array.Resize(ref _head, size);
    }

    private static ReadOnlySpan<byte> WithoutLeadingContinuations(ReadOnlySpan<byte> bytes)
    {
        var skip = 0;
        while (skip < 3 && skip < bytes.Length && (bytes[skip] & 0xC0) == 0x80)
        {
            skip++;
        }

        return bytes[skip..];
    }

    private static ReadOnlySpan<byte> WithoutIncompleteEnd(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= 4 && back <= bytes.Length; back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for the sequence's lead byte
            }

            var length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > back ? bytes[..^back] : bytes;
        }

        return bytes;
    }
}
