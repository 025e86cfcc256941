using System.Text;
using System.Threading.Channels;
using Flowline.State;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

public sealed class RunLogTests : IDisposable
{
    // A bound on waiting for the follower, not a timing assertion: a healthy run takes milliseconds.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();
    private readonly string _path;

    public RunLogTests()
    {
        _path = _folder.StateDirectory.StepLogPath("01RUN", "compile");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Lines_are_written_one_per_line_with_time_and_stream_tag()
    {
        await using (var writer = RunLogWriter.Open(_path, Clock()))
        {
            writer.WriteLine("hello");
            writer.WriteLine("oops", LogStream.Stderr);
            writer.WriteLine("attempt 2", LogStream.Info);
        }

        Assert.Equal(
            "2026-11-26T02:00:00.000Z out hello\n2026-11-26T02:00:00.000Z err oops\n2026-11-26T02:00:00.000Z inf attempt 2\n",
            await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task Lines_read_back_with_their_stream_time_and_text()
    {
        await using (var writer = RunLogWriter.Open(_path, Clock()))
        {
            writer.WriteLine("first\r\nsecond");
            writer.WriteLine("  indented  ", LogStream.Stderr);
            writer.WriteLine("");
        }

        var lines = await ReadAllAsync(new RunLogReadOptions());

        Assert.Equal(
            [
                new RunLogLine(Start, LogStream.Stdout, "first"),
                new RunLogLine(Start, LogStream.Stdout, "second"),
                new RunLogLine(Start, LogStream.Stderr, "  indented  "),
                new RunLogLine(Start, LogStream.Stdout, ""),
            ],
            lines);
    }

    [Fact]
    public async Task Reopening_a_log_appends_so_a_retried_step_keeps_its_earlier_attempts()
    {
        await using (var writer = RunLogWriter.Open(_path, Clock()))
        {
            writer.WriteLine("attempt one");
        }

        await using (var writer = RunLogWriter.Open(_path, Clock()))
        {
            writer.WriteLine("attempt two");
        }

        Assert.Equal(["attempt one", "attempt two"], (await ReadAllAsync(new RunLogReadOptions())).Select(line => line.Text));
    }

    [Fact]
    public async Task A_line_not_written_by_flowline_reads_as_an_info_line_without_a_time()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await File.WriteAllTextAsync(_path, "appended by hand\nno newline at the end");

        Assert.Equal(
            [new RunLogLine(null, LogStream.Info, "appended by hand"), new RunLogLine(null, LogStream.Info, "no newline at the end")],
            await ReadAllAsync(new RunLogReadOptions()));
    }

    [Fact]
    public async Task A_missing_log_has_no_lines_when_not_following()
    {
        Assert.Empty(await ReadAllAsync(new RunLogReadOptions()));
    }

    [Fact]
    public async Task Reading_from_a_snapshot_cursor_skips_what_was_already_read()
    {
        await using var writer = RunLogWriter.Open(_path, Clock());
        writer.WriteLine("old");
        var cursor = new FileInfo(_path).Length;
        writer.WriteLine("new");

        Assert.Equal(["new"], (await ReadAllAsync(new RunLogReadOptions { StartOffset = cursor })).Select(line => line.Text));
    }

    [Fact]
    public async Task Lines_from_stdout_and_stderr_written_at_once_stay_whole()
    {
        await using (var writer = RunLogWriter.Open(_path))
        {
            await Task.WhenAll(
                Task.Run(() => WriteMany(writer, LogStream.Stdout)),
                Task.Run(() => WriteMany(writer, LogStream.Stderr)));
        }

        var lines = await ReadAllAsync(new RunLogReadOptions());

        Assert.Equal(400, lines.Count);
        Assert.All(lines, line => Assert.Equal(line.Stream == LogStream.Stdout ? 'o' : 'e', line.Text[0]));
        Assert.All(lines, line => Assert.Equal(100, line.Text.Length));
    }

    [Fact]
    public async Task Following_yields_lines_as_the_file_grows_and_ends_after_the_run_finishes()
    {
        var finished = false;
        var options = new RunLogReadOptions
        {
            Follow = true,
            PollInterval = TimeSpan.FromMilliseconds(5),
            StopFollowing = _ => ValueTask.FromResult(Volatile.Read(ref finished)),
        };
        using var timeout = new CancellationTokenSource(Bound);
        var received = Follow(options, timeout.Token);

        await using var writer = RunLogWriter.Open(_path, Clock());
        writer.WriteLine("one");
        Assert.Equal("one", (await received.ReadAsync(timeout.Token)).Text);

        writer.WriteLine("two", LogStream.Stderr);
        Assert.Equal(new RunLogLine(Start, LogStream.Stderr, "two"), await received.ReadAsync(timeout.Token));

        writer.WriteLine("last words");
        Volatile.Write(ref finished, true);
        Assert.Equal("last words", (await received.ReadAsync(timeout.Token)).Text);
        Assert.False(await received.WaitToReadAsync(timeout.Token));
    }

    [Fact]
    public async Task Following_waits_for_a_line_to_be_complete_before_yielding_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var raw = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        using var timeout = new CancellationTokenSource(Bound);
        var received = Follow(new RunLogReadOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(5) }, timeout.Token);

        await raw.WriteAsync(Encoding.UTF8.GetBytes("first\nhalf a li"));
        await raw.FlushAsync();
        Assert.Equal("first", (await received.ReadAsync(timeout.Token)).Text);

        await raw.WriteAsync(Encoding.UTF8.GetBytes("ne, ünïcode\n"));
        await raw.FlushAsync();
        Assert.Equal("half a line, ünïcode", (await received.ReadAsync(timeout.Token)).Text);
        await timeout.CancelAsync();
    }

    [Fact]
    public async Task Following_a_log_that_does_not_exist_yet_waits_for_it()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var received = Follow(new RunLogReadOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(5) }, timeout.Token);

        await using var writer = RunLogWriter.Open(_path, Clock());
        writer.WriteLine("late start");

        Assert.Equal("late start", (await received.ReadAsync(timeout.Token)).Text);
        await timeout.CancelAsync();
    }

    [Fact]
    public async Task Following_ends_with_cancellation_when_the_token_is_cancelled()
    {
        await using var writer = RunLogWriter.Open(_path, Clock());
        writer.WriteLine("only line");
        using var cancel = new CancellationTokenSource();
        await using var lines = RunLogReader.ReadAsync(_path, new RunLogReadOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(5) }, cancel.Token)
            .GetAsyncEnumerator(cancel.Token);

        Assert.True(await lines.MoveNextAsync());
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await lines.MoveNextAsync());
    }

    private static void WriteMany(RunLogWriter writer, LogStream stream)
    {
        var text = new string(stream == LogStream.Stdout ? 'o' : 'e', 100);
        for (var i = 0; i < 200; i++)
        {
            writer.WriteLine(text, stream);
        }
    }

    private async Task<List<RunLogLine>> ReadAllAsync(RunLogReadOptions options)
    {
        var lines = new List<RunLogLine>();
        await foreach (var line in RunLogReader.ReadAsync(_path, options))
        {
            lines.Add(line);
        }

        return lines;
    }

    // Runs the follower in the background; the channel completes when the reader ends.
    private ChannelReader<RunLogLine> Follow(RunLogReadOptions options, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<RunLogLine>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in RunLogReader.ReadAsync(_path, options, cancellationToken))
                {
                    await channel.Writer.WriteAsync(line, cancellationToken);
                }

                channel.Writer.Complete();
            }
            catch (Exception exception)
            {
                channel.Writer.Complete(exception);
            }
        }, CancellationToken.None);
        return channel.Reader;
    }
}
