using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Flowline.Expressions;

namespace Flowline.Caching;

/// <summary>Hashes of key material (issue 14): XxHash128 of a canonical JSON form, maps sorted by key, as 32 hex digits.</summary>
internal static class CacheHash
{
    private const int MaxDepth = 64;

    // One buffer and writer per thread, reset for each value: every field of every cached step's key comes here, and
    // a fresh pair each time was most of what a key's inputs allocated (issue 14, the up-to-date bench).
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _json;

    public static string Of(object? value)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = _json ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        json.Reset(buffer);
        Write(json, value, 0);
        json.Flush();
        return Hex(XxHash128.HashToUInt128(buffer.WrittenSpan));
    }

    /// <summary>One hash of named hashes, in the order given.</summary>
    public static string Combine(IEnumerable<KeyValuePair<string, string>> inputs, IEnumerable<KeyValuePair<string, string>> files)
    {
        // One reused buffer rather than a string and an array per entry: every cached step of every run comes here.
        var hasher = new XxHash128();
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var part in (ReadOnlySpan<IEnumerable<KeyValuePair<string, string>>>)[inputs, files])
        {
            foreach (var (name, hash) in part)
            {
                buffer.ResetWrittenCount();
                System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, name.AsSpan(), buffer);
                buffer.Write("\0"u8);
                System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, hash.AsSpan(), buffer);
                buffer.Write("\n"u8);
                hasher.Append(buffer.WrittenSpan);
            }

            hasher.Append("\u0001"u8);
        }

        return Hex(hasher.GetCurrentHashAsUInt128());
    }

    /// <summary>
    /// 32 lower-case hex digits, as <c>hash.ToString("x32")</c> writes them, in two 64-bit halves: UInt128's own
    /// formatting takes a slow general path that cost ~5 % of an up-to-date run (issue 14).
    /// </summary>
    public static string Hex(UInt128 hash) => string.Create(32, hash, static (digits, value) =>
    {
        ((ulong)(value >> 64)).TryFormat(digits[..16], out _, "x16", CultureInfo.InvariantCulture);
        ((ulong)value).TryFormat(digits[16..], out _, "x16", CultureInfo.InvariantCulture);
    });

    private static void Write(Utf8JsonWriter json, object? value, int depth)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case JsonElement element:
                element.WriteTo(json);
                break;
            case IStructuredText text:
                json.WriteStringValue(text.Text);
                break;
            case IReadOnlyDictionary<string, object?> map when depth < MaxDepth:
                json.WriteStartObject();
                foreach (var key in map.Keys.Order(StringComparer.Ordinal))
                {
                    json.WritePropertyName(key);
                    Write(json, map[key], depth + 1);
                }

                json.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, string> strings:
                Write(json, strings.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal), depth);
                break;
            case IReadOnlyList<object?> list when depth < MaxDepth:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    Write(json, item, depth + 1);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(ValueFormatter.Render(value));
                break;
        }
    }
}
