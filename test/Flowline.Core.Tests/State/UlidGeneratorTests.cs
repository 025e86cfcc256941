using Flowline.State;
using Microsoft.Extensions.Time.Testing;

namespace Flowline.Core.Tests.State;

public sealed class UlidGeneratorTests
{
    [Fact]
    public void Ids_are_26_crockford_base32_characters_starting_with_the_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));
        var id = new UlidGenerator(time).NewId();

        Assert.Equal(26, id.Length);
        Assert.All(id, character => Assert.Contains(character, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"));
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), DecodeTime(id));
    }

    [Fact]
    public void Ids_sort_in_the_order_they_were_made_as_time_passes()
    {
        var time = new FakeTimeProvider();
        var generator = new UlidGenerator(time);
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(generator.NewId());
            time.Advance(TimeSpan.FromMilliseconds(i % 3));
        }

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_or_after_the_clock_steps_back_still_increase()
    {
        var time = new SettableClock { Now = new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero) };
        var generator = new UlidGenerator(time);
        var first = generator.NewId();
        var second = generator.NewId();
        time.Now = time.Now.AddSeconds(-5);
        var third = generator.NewId();

        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.True(string.CompareOrdinal(second, third) < 0);
    }

    [Fact]
    public void Two_generators_at_different_times_sort_by_time()
    {
        var earlier = new UlidGenerator(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).NewId();
        var later = new UlidGenerator(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 1, TimeSpan.Zero))).NewId();

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void Every_one_of_the_80_random_bits_varies_between_milliseconds()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var time = new FakeTimeProvider();
        var generator = new UlidGenerator(time);
        var seenOne = new bool[80];
        var seenZero = new bool[80];
        for (var i = 0; i < 300; i++)
        {
            var id = generator.NewId();
            time.Advance(TimeSpan.FromMilliseconds(1));
            for (var bit = 0; bit < 80; bit++)
            {
                var character = alphabet.IndexOf(id[10 + (bit / 5)], StringComparison.Ordinal);
                if (((character >> (4 - (bit % 5))) & 1) == 1)
                {
                    seenOne[bit] = true;
                }
                else
                {
                    seenZero[bit] = true;
                }
            }
        }

        Assert.All(Enumerable.Range(0, 80), bit => Assert.True(seenOne[bit] && seenZero[bit], $"random bit {bit} never changed"));
    }

    private static long DecodeTime(string id)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        long value = 0;
        foreach (var character in id[..10])
        {
            value = (value << 5) | (long)alphabet.IndexOf(character, StringComparison.Ordinal);
        }

        return value;
    }

    // FakeTimeProvider refuses to go back in time; a wall clock corrected by NTP does not.
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
