using System.Text;
using Flowline.State;

namespace Flowline.Core.Tests.State;

/// <summary>
/// A completed step's output is stored capped at <see cref="ExecutionOptions.OutputLimitBytes"/> (docs/state.md). The
/// cut measures the text once: measuring shorter and shorter prefixes again was quadratic, and 2 MB of binary output
/// held its dependents for two minutes (issue 18, item 3).
/// </summary>
public sealed class OutputTruncationTests
{
    [Theory]
    [InlineData("abcdef", 4, "abcd")]
    [InlineData("abc", 3, "abc")]
    [InlineData("\uFFFD\uFFFD\uFFFD", 7, "\uFFFD\uFFFD")]
    [InlineData("a\uD83D\uDE00b", 4, "a")]
    [InlineData("a\uD83D\uDE00b", 5, "a\uD83D\uDE00")]
    [InlineData("é", 1, "")]
    public void Output_is_cut_at_the_last_whole_character_that_fits(string text, int limitBytes, string expected)
    {
        var cut = StateValues.Truncate(text, limitBytes);

        Assert.Equal(expected, cut);
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= limitBytes);
    }

    [Fact]
    public void A_lone_surrogate_counts_as_the_three_bytes_it_is_stored_as()
    {
        // Not an InlineData case: xunit's test case serialization does not keep a lone surrogate.
        Assert.Equal("\uD800a", StateValues.Truncate("\uD800abc", 4));
    }

    [Fact]
    public void Binary_output_is_measured_once_whatever_its_size()
    {
        // What `head -c N /dev/urandom` reads as: mostly U+FFFD (3 bytes in UTF-8) among ASCII.
        var text = string.Concat(Enumerable.Repeat("\uFFFDa\uFFFD\uFFFD", 2_000));
        var counting = new CountingUtf8();

        var cut = StateValues.Truncate(text, 4_000, counting);

        Assert.Equal(cut, StateValues.Truncate(text, 4_000));
        Assert.True(counting.CharactersMeasured <= text.Length, $"measured {counting.CharactersMeasured} characters of a {text.Length}-character output");
    }

    [Fact]
    public void Binary_output_of_a_step_is_stored_within_the_limit()
    {
        var result = new StepResult { Status = StepStatus.Completed, Output = string.Concat(Enumerable.Repeat("\uFFFD\n", 50_000)) };

        var stored = StepMapping.ToSnapshot("noise", result, neverRan: false, outputLimitBytes: 10_000).Output!.Value.GetString()!;

        Assert.EndsWith("… [truncated to 10000 bytes]", stored, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(stored[..stored.IndexOf('…', StringComparison.Ordinal)]) <= 10_000);
    }

    private sealed class CountingUtf8() : UTF8Encoding(encoderShouldEmitUTF8Identifier: false)
    {
        public long CharactersMeasured { get; private set; }

        public override int GetByteCount(string s)
        {
            CharactersMeasured += s.Length;
            return base.GetByteCount(s);
        }

        public override int GetByteCount(ReadOnlySpan<char> chars)
        {
            CharactersMeasured += chars.Length;
            return base.GetByteCount(chars);
        }

        public override int GetByteCount(char[] chars, int index, int count)
        {
            CharactersMeasured += count;
            return base.GetByteCount(chars, index, count);
        }
    }
}
