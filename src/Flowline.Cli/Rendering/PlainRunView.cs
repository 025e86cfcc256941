using System.Globalization;
using Flowline.Scheduling;

namespace Flowline.Cli.Rendering;

/// <summary>Line-by-line progress for logs that are not a terminal (CI): one line per step event, step output prefixed by its id.</summary>
internal sealed class PlainRunView : IDisposable
{
    private readonly WorkflowRunner _runner;
    private readonly TextWriter _out;
    private readonly bool _showOutput;

    public PlainRunView(WorkflowRunner runner, TextWriter output, bool showOutput)
    {
        _runner = runner;
        _out = TextWriter.Synchronized(output);
        _showOutput = showOutput;
        runner.StepStarted += OnStarted;
        runner.StepFinished += OnFinished;
        runner.LogReceived += OnLog;
    }

    public void Dispose()
    {
        _runner.StepStarted -= OnStarted;
        _runner.StepFinished -= OnFinished;
        _runner.LogReceived -= OnLog;
    }

    private void OnStarted(object? sender, StepStartedEventArgs e) =>
        _out.WriteLine(e.Attempt == 1 ? $"▶ {e.StepId} started" : string.Create(CultureInfo.InvariantCulture, $"▶ {e.StepId} started (attempt {e.Attempt})"));

    private void OnFinished(object? sender, StepFinishedEventArgs e)
    {
        var r = e.Result;
        var line = r.Status switch
        {
            StepStatus.Completed when r.Cached => $"✓ {e.StepId} {r.Cache!.Reason}",
            StepStatus.Completed when r.Cache is { } cache => $"✓ {e.StepId} completed in {Durations.Format(r.ExecutionTime)} ({cache.Reason})",
            StepStatus.Completed => $"✓ {e.StepId} completed in {Durations.Format(r.ExecutionTime)}",
            StepStatus.Failed => $"✗ {e.StepId} failed after {Durations.Format(r.ExecutionTime)}: {FirstLine(r.Error)}",
            StepStatus.Cancelled => $"■ {e.StepId} cancelled after {Durations.Format(r.ExecutionTime)}",
            StepStatus.Skipped => $"- {e.StepId} skipped: {r.SkipReason}",
            _ => string.Create(CultureInfo.InvariantCulture, $"  {e.StepId} {r.Status}"),
        };
        _out.WriteLine(line);
    }

    private void OnLog(object? sender, LogReceivedEventArgs e)
    {
        if (!_showOutput || e.Entry.StepId is null)
        {
            return;
        }

        _out.WriteLine($"  {e.Entry.StepId} | {e.Entry.Text}");
    }

    private static string FirstLine(string? text) =>
        text is null ? "" : text.Split('\n', 2)[0];
}
