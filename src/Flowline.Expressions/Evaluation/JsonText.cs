using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Flowline.Expressions.Evaluation;

/// <summary>Compact JSON for values: what <c>toJSON</c> returns and how lists and objects render in templates.</summary>
internal static class JsonText
{
    // Relaxed escaping: the text goes into prompts and commands, not HTML, and "\u0027" for every apostrophe would mangle them.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    // Values from a scope may be self-referencing dictionaries; stop rather than overflow the stack.
    private const int MaxDepth = 256;

    public static string Write(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, Values.Normalize(value), 0);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"A value nests more than {MaxDepth} levels deep; is a dictionary in the scope referring to itself?");
        }

        switch (value)
        {
            case null or Undefined:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double:
                // JSON has no NaN or Infinity; JSON.stringify writes null too.
                writer.WriteNullValue();
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, Values.Normalize(item), depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                foreach (var (key, item) in Values.AsObject(value) ?? [])
                {
                    // As JSON.stringify does, a property whose value is undefined is left out.
                    if (item is Undefined)
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndObject();
                break;
        }
    }
}
