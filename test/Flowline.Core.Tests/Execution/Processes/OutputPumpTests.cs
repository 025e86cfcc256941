using System.Text;
using Flowline.Execution.Processes;

namespace Flowline.Core.Tests.Execution.Processes;

public sealed class OutputPumpTests
{
    [Fact]
    public async Task Pump_splits_lines_and_drops_carriage_returns()
    {
        var (lines, capture) = await PumpAsync("one\r\ntwo\n\nthree"u8.ToArray());

        Assert.Equal(["one", "two", "", "three"], lines);
        Assert.Equal("one\r\ntwo\n\nthree", capture.ToString());
    }

    [Fact]
    public async Task Pump_decodes_characters_split_across_reads()
    {
        var (lines, _) = await PumpAsync(Encoding.UTF8.GetBytes("héllo wörld €\n"), chunk: 1);

        Assert.Equal(["héllo wörld €"], lines);
    }

    [Fact]
    public async Task Pump_passes_an_endless_line_on_in_pieces()
    {
        var (lines, _) = await PumpAsync(Encoding.ASCII.GetBytes(new string('x', (OutputPump.MaxLineChars * 2) + 5)));

        Assert.Equal([OutputPump.MaxLineChars, OutputPump.MaxLineChars, 5], lines.Select(l => l.Length));
    }

    [Fact]
    public async Task Pump_replaces_invalid_bytes()
    {
        var (lines, _) = await PumpAsync([0xFF, (byte)'a', (byte)'\n', 0xC3]);

        Assert.Equal(["\uFFFDa", "\uFFFD"], lines);
    }

    [Fact]
    public async Task Pump_keeps_reading_after_the_callback_throws_and_rethrows_at_the_end()
    {
        var capture = new BoundedCapture(1024);
        var calls = 0;

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => OutputPump.PumpAsync(
            new ChunkedStream("a\nb\nc\n"u8.ToArray(), 2),
            capture,
            _ => { calls++; throw new InvalidOperationException("log is broken"); },
            CancellationToken.None));

        Assert.Equal("log is broken", exception.Message);
        Assert.Equal(1, calls);
        Assert.Equal("a\nb\nc\n", capture.ToString());
    }

    private static async Task<(List<string> Lines, BoundedCapture Capture)> PumpAsync(byte[] data, int chunk = int.MaxValue)
    {
        var lines = new List<string>();
        var capture = new BoundedCapture(1024 * 1024);
        await OutputPump.PumpAsync(new ChunkedStream(data, chunk), capture, lines.Add, CancellationToken.None);
        return (lines, capture);
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a pipe may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
