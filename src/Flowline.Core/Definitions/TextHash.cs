using System.IO.Hashing;
using System.Text;

namespace Flowline;

/// <summary>
/// The content hash of a workflow's text: lower-case hex XXH128 of its UTF-8 bytes. It only tells whether a file
/// changed (a resume compares it with the recorded one); nothing relies on it for security, so a fast
/// non-cryptographic hash serves, and .NET's SHA-256 would load the platform's crypto library — OpenSSL on Linux,
/// about 5 MB of resident memory for every recorded run (issue 7, B6).
/// </summary>
internal static class TextHash
{
    public static string Hex(string text) => Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text)));
}
