using Flowline.Binding;

namespace Flowline.Core.Tests.Binding;

public sealed class OutputFileTests
{
    [Theory]
    [InlineData("a=1\n", "a=1")]
    [InlineData("a=1\r\nb=x=y\n", "a=1;b=x=y")]
    [InlineData("a=first\na=second\n", "a=second")]
    [InlineData("\n\nempty=\n", "empty=")]
    [InlineData("notes<<EOF\none\n\ntwo\nEOF\n", "notes=one\n\ntwo")]
    [InlineData("s<<END\na<<b\nc=d\nEND\nk=v", "s=a<<b\nc=d;k=v")]
    [InlineData("url=http://x/?a=1<<2\n", "url=http://x/?a=1<<2")]
    public void Lines_and_blocks_become_named_outputs(string text, string expected)
    {
        Assert.True(OutputFile.TryParse(text, out var outputs, out var error), error);

        Assert.Equal(expected, string.Join(";", outputs.Select(p => $"{p.Key}={p.Value}")));
    }

    [Theory]
    [InlineData("just text\n", "line 1 ('just text') is neither KEY=value nor KEY<<DELIMITER")]
    [InlineData("=value\n", "line 1 ('=value') is neither KEY=value nor KEY<<DELIMITER")]
    [InlineData("a=1\nnotes<<EOF\nnever closed\n", "line 2: the block 'notes<<EOF' has no closing line 'EOF'")]
    [InlineData("my key=1\n", "line 1: 'my key' is not a valid output name")]
    [InlineData("k<<\nx\n", "line 1: 'k<<' needs a delimiter")]
    public void A_malformed_file_names_the_line_and_the_fix(string text, string expected)
    {
        Assert.False(OutputFile.TryParse(text, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
