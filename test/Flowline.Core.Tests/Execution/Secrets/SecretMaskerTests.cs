using System.Text.Json;
using Flowline.Execution.Secrets;

namespace Flowline.Core.Tests.Execution.Secrets;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Without_values_text_is_returned_as_the_same_instance()
    {
        var masker = new SecretMasker();
        var text = "nothing to hide";

        Assert.True(masker.IsEmpty);
        Assert.Same(text, masker.Apply(text));
        Assert.False(masker.TryAddMaskCommand("plain line"));
    }

    [Theory]
    [InlineData("token abc123 here", "token *** here")]
    [InlineData("abc123abc123", "***")]
    [InlineData("abc123 and abc123", "*** and ***")]
    [InlineData("abc12", "abc12")]
    [InlineData("xabc123", "x***")]
    public void Every_occurrence_is_masked(string text, string expected) =>
        Assert.Equal(expected, new SecretMasker(["abc123"]).Apply(text));

    [Fact]
    public void A_text_without_a_value_is_the_same_instance()
    {
        var text = "no secret";
        Assert.Same(text, new SecretMasker(["abc123"]).Apply(text));
    }

    [Theory]
    [InlineData("abcdefghi", "***")]
    [InlineData("xxabcdefyy", "xx***yy")]
    [InlineData("defghi abcdef", "*** ***")]
    [InlineData("abcdefghi-defghi", "***-***")]
    public void Overlapping_values_are_masked_as_one_span_so_no_part_of_either_shows(string text, string expected) =>
        Assert.Equal(expected, new SecretMasker(["abcdef", "defghi"]).Apply(text));

    [Fact]
    public void The_longest_value_wins_where_one_contains_another()
    {
        var masker = new SecretMasker(["pass", "password123"]);

        Assert.Equal("*** and ***", masker.Apply("password123 and pass"));
    }

    [Fact]
    public void A_multi_line_value_is_masked_line_by_line_in_lines_and_in_whole_text()
    {
        var masker = new SecretMasker(["-----BEGIN KEY-----\r\nMIIEpAIBAAKCAQEA\n  qwertyuiop  \n\n-----END KEY-----\n"]);

        Assert.Equal("***", masker.Apply("MIIEpAIBAAKCAQEA"));
        Assert.Equal("    ***", masker.Apply("    qwertyuiop"));
        Assert.Equal("key:\n***\n***\n***\n***\ndone", masker.Apply("key:\n-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA\nqwertyuiop\n-----END KEY-----\ndone"));
    }

    [Fact]
    public void Blank_values_mask_nothing()
    {
        var masker = new SecretMasker(["", "  ", "\n\n"]);

        Assert.True(masker.IsEmpty);
        Assert.Equal(" a b ", masker.Apply(" a b "));
    }

    [Fact]
    public void An_add_mask_line_adds_its_value_for_later_text()
    {
        var masker = new SecretMasker();

        Assert.False(masker.TryAddMaskCommand("echo ::add-mask::x"));
        Assert.True(masker.TryAddMaskCommand("::add-mask::run-time-value"));

        Assert.False(masker.IsEmpty);
        Assert.Equal("made ***", masker.Apply("made run-time-value"));
    }

    [Fact]
    public void Values_added_from_many_threads_are_all_kept()
    {
        var masker = new SecretMasker();
        Parallel.For(0, 200, i => masker.Add($"value-{i:D3}-x"));

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("[***]", masker.Apply($"[value-{i:D3}-x]"));
        }
    }

    [Fact]
    public void A_result_is_masked_in_every_text_and_its_add_mask_lines_are_left_out()
    {
        var masker = new SecretMasker(["s3cret"]);
        masker.TryAddMaskCommand("::add-mask::later1");
        using var json = JsonDocument.Parse("""{"token":"s3cret","\u0073\u0033cret":["x later1 y",1]}""");
        var result = new StepResult
        {
            Status = StepStatus.Failed,
            Output = "::add-mask::later1\nout s3cret",
            Error = "failed: s3cret",
            Stdout = "::add-mask::later1\nout s3cret\n",
            Stderr = "err s3cret",
            Outputs = new Dictionary<string, string> { ["k"] = "v=s3cret" },
            Metadata = new Dictionary<string, object?> { ["json"] = json.RootElement.Clone(), ["n"] = 3, ["list"] = new object?[] { "a s3cret" } },
        };

        var masked = masker.Apply(result);

        Assert.Equal("out ***", masked.Output);
        Assert.Equal("failed: ***", masked.Error);
        Assert.Equal("out ***\n", masked.Stdout);
        Assert.Equal("err ***", masked.Stderr);
        Assert.Equal("v=***", masked.Outputs["k"]);
        Assert.Equal("""{"token":"***","***":["x *** y",1]}""", ((JsonElement)masked.Metadata["json"]!).GetRawText());
        Assert.Equal(3, masked.Metadata["n"]);
        Assert.Equal(["a ***"], (object?[])masked.Metadata["list"]!);
    }

    [Fact]
    public void Without_values_a_result_is_the_same_instance()
    {
        var result = new StepResult { Status = StepStatus.Completed, Output = "x" };
        Assert.Same(result, new SecretMasker().Apply(result));
    }
}
