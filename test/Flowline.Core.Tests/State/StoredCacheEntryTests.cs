using System.Text.Json;
using Flowline.State;

namespace Flowline.Core.Tests.State;

/// <summary>
/// A stored cache entry is read in two steps (issue 14): the key, reason and origin with the row, the inputs and files
/// from the same text when first asked for. Both must give back what was written.
/// </summary>
public sealed class StoredCacheEntryTests
{
    [Fact]
    public void An_entry_reads_back_what_was_written_including_its_maps()
    {
        var written = new StepCacheInfo
        {
            Key = "k1",
            Reason = "up to date (run R1)",
            UpToDate = true,
            FromRun = "R1",
            Inputs = new Dictionary<string, string> { ["args"] = "a1", ["type"] = "t1" },
            Files = new Dictionary<string, string> { ["src/a b.cs"] = "f1", ["src/\u00e9.cs"] = "f2" },
        };

        var read = StateText.CacheFromJson(StateText.ToJson(written))!;

        Assert.Equal((written.Key, written.Reason, written.UpToDate, written.FromRun), (read.Key, read.Reason, read.UpToDate, read.FromRun));
        Assert.Equal(written.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal), read.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(written.Files.OrderBy(p => p.Key, StringComparer.Ordinal), read.Files.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.True(read.Files.TryGetValue("src/\u00e9.cs", out var hash));
        Assert.Equal("f2", hash);
        Assert.Equal(2, read.Inputs.Count);
        Assert.Equal(StateText.ToJson(written), StateText.ToJson(read));
    }

    [Fact]
    public void Maps_that_cannot_be_read_are_empty_but_the_key_is_kept()
    {
        var read = StateText.CacheFromJson("""{"key":"k1","reason":"ran: no earlier run","inputs":5,"files":["x"]}""")!;

        Assert.Equal("k1", read.Key);
        Assert.Empty(read.Inputs);
        Assert.Empty(read.Files);
    }

    [Fact]
    public void An_entry_without_a_key_is_refused_when_the_row_is_read()
    {
        Assert.ThrowsAny<JsonException>(() => StateText.CacheFromJson("""{"reason":"ran","inputs":{},"files":{}}"""));
        Assert.ThrowsAny<JsonException>(() => StateText.CacheFromJson("""{"key":"k1","reason":"ran","inputs":{"""));
    }
}
