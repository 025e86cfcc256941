namespace Flowline.Core.Tests.Execution.Secrets;

public sealed class SecretsFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "flowline-secrets-" + Guid.NewGuid().ToString("N") + ".env");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Reads_plain_quoted_exported_and_multi_line_values_and_skips_comments()
    {
        Write("""
            # a comment
            PLAIN = value one   # trailing comment
            export EXPORTED=x
            SINGLE='keeps \n and # as written'
            DOUBLE="tab\there \"quoted\" back\\slash"
            EMPTY=
            KEY="-----BEGIN-----
            line two
            -----END-----"
            HASH=a#b
            PLAIN=later wins

            """);

        Assert.True(SecretsFile.TryLoad(_path, out var secrets, out var diagnostics), string.Join("\n", diagnostics));
        Assert.Equal("later wins", secrets["PLAIN"]);
        Assert.Equal("x", secrets["EXPORTED"]);
        Assert.Equal("keeps \\n and # as written", secrets["SINGLE"]);
        Assert.Equal("tab\there \"quoted\" back\\slash", secrets["DOUBLE"]);
        Assert.Equal("", secrets["EMPTY"]);
        Assert.Equal("-----BEGIN-----\nline two\n-----END-----", secrets["KEY"]);
        Assert.Equal("a#b", secrets["HASH"]);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_at_the_line_it_opens()
    {
        Write("A=1\nB='hunter2 value\nC=2\n");

        Assert.False(SecretsFile.TryLoad(_path, out _, out var diagnostics));
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidSecretsFileLine, error.Code);
        Assert.Equal(2, error.Location!.Line);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error()
    {
        Write("A=\"x\" y\n");

        Assert.False(SecretsFile.TryLoad(_path, out _, out var diagnostics));
        Assert.Contains("after the closing quote", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
    }

    private void Write(string text)
    {
        File.WriteAllText(_path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
