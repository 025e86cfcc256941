using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Flowline.Loading;

/// <summary>
/// The one way the bytes of a workflow, variables or agents file become text, and the one check of that text before
/// YAML reads it (issue 18). Decoding is strict: an invalid byte sequence used to become U+FFFD silently, in names
/// and arguments; and YamlDotNet takes a NUL for the end of the stream, so a file of NULs read as empty and a NUL in a
/// name cut the file short. Both are <see cref="DiagnosticCodes.NotText"/> at the line and column where they are.
/// </summary>
internal static class SourceText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The text of <paramref name="bytes"/>: UTF-8 (a byte order mark is skipped), or UTF-16 when a UTF-16 byte order
    /// mark says so (as <c>File.ReadAllText</c> read it before); null after reporting the first invalid sequence.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string file, List<Diagnostic> diagnostics)
    {
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }
        else if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            return DecodeUtf16(bytes[2..], bigEndian: bytes[0] == 0xFE, file, diagnostics);
        }

        var chars = new char[bytes.Length];
        if (Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            return new string(chars, 0, written);
        }

        // Rune reports how many bytes belong to the invalid sequence, so the message shows it whole.
        Rune.DecodeFromUtf8(bytes[read..], out _, out var length);
        var sequence = string.Join(' ', bytes.Slice(read, Math.Max(1, length)).ToArray().Select(b => $"0x{b:X2}"));
        diagnostics.Add(Error(file, chars.AsSpan(0, written),
            $"The file is not valid UTF-8: the bytes {sequence} here are not a character (the file may be Latin-1, Windows-1252 or binary). Save the file as UTF-8."));
        return null;
    }

    /// <summary>Reports the first NUL character of <paramref name="text"/>; YAML text cannot hold one.</summary>
    public static bool HasNoNul(string text, string file, List<Diagnostic> diagnostics)
    {
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul < 0)
        {
            return true;
        }

        diagnostics.Add(Error(file, text.AsSpan(0, nul),
            "The file holds a NUL character (byte 0x00) here; a YAML file is text and cannot hold one. Remove it; if the file is UTF-16 or binary, save it as UTF-8 text."));
        return false;
    }

    private static string? DecodeUtf16(ReadOnlySpan<byte> bytes, bool bigEndian, string file, List<Diagnostic> diagnostics)
    {
        var chars = new char[bytes.Length / 2];
        for (var i = 0; i < chars.Length; i++)
        {
            var unit = bytes.Slice(2 * i, 2);
            chars[i] = (char)(bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(unit) : BinaryPrimitives.ReadUInt16LittleEndian(unit));
        }

        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                diagnostics.Add(Error(file, chars.AsSpan(0, i),
                    string.Create(CultureInfo.InvariantCulture, $"The file is not valid UTF-16: the unpaired surrogate 0x{(int)chars[i]:X4} here is not a character. Save the file as UTF-8.")));
                return null;
            }
        }

        if (bytes.Length % 2 == 1)
        {
            diagnostics.Add(Error(file, chars, "The file is not valid UTF-16: it ends in half a character. Save the file as UTF-8."));
            return null;
        }

        return new string(chars);
    }

    /// <summary>An error at the position just after <paramref name="before"/>, counted as YAML counts (lines from 1, columns in UTF-16 units from 1).</summary>
    private static Diagnostic Error(string file, ReadOnlySpan<char> before, string message)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == '\n' || (before[i] == '\r' && (i + 1 == before.Length || before[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new Diagnostic(DiagnosticCodes.NotText, DiagnosticSeverity.Error, message, new SourceLocation(file, line, before.Length - lineStart + 1));
    }
}
