using System.Text;
using Flowline.Execution.Processes;

namespace Flowline.Core.Tests.Execution.Processes;

public sealed class BoundedCaptureTests
{
    [Fact]
    public void Capture_keeps_everything_up_to_the_limit()
    {
        var capture = new BoundedCapture(10);
        capture.Append("hello"u8);
        capture.Append("world"u8);

        Assert.Equal("helloworld", capture.ToString());
        Assert.Equal(10, capture.TotalBytes);
    }

    [Fact]
    public void Capture_keeps_head_and_tail_and_marks_the_cut()
    {
        var capture = new BoundedCapture(10);
        capture.Append("0123456789abcdefghij"u8);

        Assert.Equal("01234\n[… 10 bytes cut …]\nfghij", capture.ToString());
    }

    [Fact]
    public void Capture_keeps_the_last_bytes_across_many_small_appends()
    {
        var capture = new BoundedCapture(8);
        var all = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            var piece = (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ab";
            all.Append(piece);
            capture.Append(Encoding.ASCII.GetBytes(piece));
        }

        var text = all.ToString();
        Assert.Equal($"{text[..4]}\n[… {text.Length - 8} bytes cut …]\n{text[^4..]}", capture.ToString());
    }

    [Fact]
    public void Capture_cuts_on_character_boundaries()
    {
        var capture = new BoundedCapture(8);
        capture.Append(Encoding.UTF8.GetBytes("aéééééééééz")); // 20 bytes: a, 9 × é in two bytes, z

        // Head "a" + "é" + a lone lead byte, tail a lone continuation byte + "éz": the halves drop the pieces.
        Assert.Equal("aé\n[… 14 bytes cut …]\néz", capture.ToString());
    }

    [Fact]
    public void Capture_with_zero_limit_keeps_only_the_marker()
    {
        var capture = new BoundedCapture(0);
        capture.Append("abc"u8);

        Assert.Equal("\n[… 3 bytes cut …]\n", capture.ToString());
    }

    [Fact]
    public void Capture_of_nothing_is_empty()
    {
        Assert.Equal(string.Empty, new BoundedCapture(10).ToString());
    }
}
