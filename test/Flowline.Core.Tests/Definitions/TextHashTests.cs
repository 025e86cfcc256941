using System.Security.Cryptography;
using System.Text;

namespace Flowline.Core.Tests.Definitions;

public sealed class TextHashTests
{
    [Fact]
    public void Sha256_matches_the_platform_for_every_length_around_the_block_boundaries()
    {
        var random = new Random(7);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            Assert.Equal(SHA256.HashData(data), TextHash.Sha256(data));
        }
    }

    [Fact]
    public void Sha256_matches_the_platform_for_a_large_input_and_the_published_test_vector()
    {
        var data = new byte[1_000_003];
        new Random(11).NextBytes(data);

        Assert.Equal(SHA256.HashData(data), TextHash.Sha256(data));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextHash.Sha256Hex("abc"));
    }

    [Fact]
    public void Sha256Hex_hashes_the_text_as_utf8()
    {
        const string text = "name: Zürich ✓\nsteps: []\n";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), TextHash.Sha256Hex(text));
    }
}
