using System.IO.Hashing;
using System.Text;

namespace Flowline.Core.Tests.Definitions;

public sealed class TextHashTests
{
    [Fact]
    public void The_hash_is_lower_case_hex_xxh128_of_the_utf8_text()
    {
        const string text = "name: Zürich ✓\nsteps: []\n";

        var hash = TextHash.Hex(text);

        Assert.Matches("^[0-9a-f]{32}$", hash);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text))), hash);
    }

    [Fact]
    public void The_hash_is_stable_across_versions_and_changes_with_one_character()
    {
        // Recorded runs keep this value; a resume compares it with the file's. Changing the algorithm would make every
        // recorded run look edited, so the value of a fixed text is pinned.
        Assert.Equal("06b05ab6733a618578af5f94892f3950", TextHash.Hex("abc"));
        Assert.NotEqual(TextHash.Hex("steps: [a]\n"), TextHash.Hex("steps: [b]\n"));
        Assert.Equal(TextHash.Hex("steps: [a]\n"), TextHash.Hex("steps: [a]\n"));
    }
}
