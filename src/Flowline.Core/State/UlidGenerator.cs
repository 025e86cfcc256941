namespace Flowline.State;

/// <summary>
/// Makes run ids: ULIDs (48-bit Unix milliseconds then 80 random bits, Crockford base 32, 26 characters), so
/// ordinal order is start order. Within one millisecond the random part is incremented, keeping ids from one
/// generator strictly increasing even when the clock stands still (a <c>FakeTimeProvider</c>) or steps back.
/// </summary>
internal sealed class UlidGenerator
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly byte[] _last = new byte[16];
    private long _lastMilliseconds = -1;

    public UlidGenerator(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public static UlidGenerator Shared { get; } = new();

    public string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_lock)
        {
            var milliseconds = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            if (milliseconds <= _lastMilliseconds && IncrementRandom(_last))
            {
                milliseconds = _lastMilliseconds;
            }
            else
            {
                FillRandom(_last.AsSpan(6));
            }

            for (var i = 5; i >= 0; i--)
            {
                _last[i] = (byte)(milliseconds >> (8 * (5 - i)));
            }

            _lastMilliseconds = milliseconds;
            _last.CopyTo(bytes);
        }

        return Encode(bytes);
    }

    // Ten random bytes from a version 4 GUID, whose 122 random bits come from the operating system's CSPRNG without
    // loading OpenSSL (RandomNumberGenerator would: about 5 MB of resident memory per recorded run; issue 7, B6).
    // In Guid's byte layout the version is the high nibble of byte 7 and the variant the top bits of byte 8.
    private static void FillRandom(Span<byte> destination)
    {
        Span<byte> guid = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(guid);
        guid[..7].CopyTo(destination);
        guid.Slice(9, destination.Length - 7).CopyTo(destination[7..]);
    }

    // Returns false when the 80 random bits overflow, which then start over from fresh randomness.
    private static bool IncrementRandom(byte[] value)
    {
        for (var i = 15; i >= 6; i--)
        {
            if (++value[i] != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits as 26 five-bit digits, most significant first (the top digit holds 3 bits).
        var high = ((UInt128)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) << 64)
            | System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return string.Create(26, high, static (chars, value) =>
        {
            for (var i = 25; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(value & 31)];
                value >>= 5;
            }
        });
    }
}
