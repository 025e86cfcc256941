using Flowline.Caching;

namespace Flowline.Core.Tests.Caching;

/// <summary>The hex form of keys and content hashes (issue 14): what earlier runs recorded must still compare equal.</summary>
public sealed class CacheHashTests
{
    public static TheoryData<string> Values => new()
    {
        "0",
        "1",
        "255",
        "18446744073709551615",
        "18446744073709551616",
        "340282366920938463463374607431768211455",
        "170141183460469231731687303715884105728",
        "1234567890123456789012345678901234567",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Hex_writes_what_UInt128_x32_formatting_writes(string value)
    {
        var number = UInt128.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(number.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), CacheHash.Hex(number));
    }

    [Fact]
    public void A_key_is_32_hex_digits_and_depends_on_every_part()
    {
        var inputs = new Dictionary<string, string> { ["type"] = CacheHash.Of("script"), ["args"] = CacheHash.Of(new object?[] { "-c", "true" }) };
        var files = new Dictionary<string, string> { ["src/a.txt"] = "00112233445566778899aabbccddeeff" };

        var key = CacheHash.Combine(inputs, files);
        var changed = CacheHash.Combine(inputs, new Dictionary<string, string> { ["src/a.txt"] = "00112233445566778899aabbccddeefe" });

        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.NotEqual(key, changed);
        Assert.Equal(key, CacheHash.Combine(new Dictionary<string, string>(inputs), new Dictionary<string, string>(files)));
    }

    [Fact]
    public void A_value_hashes_its_canonical_json_the_same_every_time()
    {
        var map = new Dictionary<string, object?> { ["b"] = "2", ["a"] = new object?[] { "-c", true, null } };
        var expected = CacheHash.Hex(System.IO.Hashing.XxHash128.HashToUInt128("{\"a\":[\"-c\",true,null],\"b\":\"2\"}"u8));

        var first = CacheHash.Of(map);
        var longer = CacheHash.Of(new string('x', 10_000));
        var again = CacheHash.Of(map);

        Assert.Equal(expected, first);
        Assert.Equal(expected, again);
        Assert.NotEqual(first, longer);
        Assert.Equal(CacheHash.Hex(System.IO.Hashing.XxHash128.HashToUInt128("\"script\""u8)), CacheHash.Of("script"));
    }
}
