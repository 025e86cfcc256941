using System.Collections.Concurrent;
using System.Globalization;
using Flowline.Scheduling;
using Spectre.Console;

namespace Flowline.Cli.Rendering;

/// <summary>
/// The live terminal view of a run (Spectre.Console): every step with its state, elapsed time and the tail of its
/// output, and the overall progress, redrawn ten times a second from <see cref="WorkflowRunner.GetExecutionReport"/>.
/// </summary>
internal sealed class LiveRunView : IDisposable
{
    private readonly WorkflowRunner _runner;
    private readonly WorkflowDefinition _workflow;
    private readonly IAnsiConsole _console;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _lastLine = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    // Child workflows' steps (issue 14), which the report of the top-level run does not know: status by qualified id,
    // in the order they first showed up.
    private readonly ConcurrentDictionary<string, StepStatus> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _childOrder = new();

    public LiveRunView(WorkflowRunner runner, WorkflowDefinition workflow, TextWriter output, TimeProvider? time = null)
    {
        _runner = runner;
        _workflow = workflow;
        _time = time ?? TimeProvider.System;
        _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        runner.StepStarted += OnStarted;
        runner.StepFinished += OnFinished;
        runner.LogReceived += OnLog;
    }

    public async Task<WorkflowResult> ShowAsync(Task<WorkflowResult> run)
    {
        await _console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(100), _time));
                context.UpdateTarget(Render());
            }
        });
        return await run;
    }

    public void Dispose()
    {
        _runner.StepStarted -= OnStarted;
        _runner.StepFinished -= OnFinished;
        _runner.LogReceived -= OnLog;
    }

    private Table Render()
    {
        var report = _runner.GetExecutionReport();
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(_workflow.Name)}[/] {report.CompletedSteps}/{report.TotalSteps} done · {report.Progress}%")
            .AddColumn("Step").AddColumn("State").AddColumn(new TableColumn("Time").RightAligned()).AddColumn("Output");
        foreach (var step in _workflow.Steps)
        {
            var status = report.Steps.TryGetValue(step.Id, out var s) ? s : StepStatus.Pending;
            table.AddRow(
                Markup.Escape(step.Id),
                StatusMarkup(status) + AttemptMarkup(step, status),
                Elapsed(step.Id),
                Markup.Escape(Tail(_lastLine.GetValueOrDefault(step.Id, ""))));
            if (!_children.IsEmpty)
            {
                AddChildRows(table, step.Id + "/");
            }
        }

        return table;
    }

    private void AddChildRows(Table table, string prefix)
    {
        foreach (var id in _childOrder.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            var depth = id.Count(static c => c == '/');
            table.AddRow(
                Markup.Escape(new string(' ', 2 * depth) + id),
                StatusMarkup(_children.GetValueOrDefault(id, StepStatus.Pending)),
                Elapsed(id),
                Markup.Escape(Tail(_lastLine.GetValueOrDefault(id, ""))));
        }
    }

    private string Elapsed(string stepId)
    {
        if (_finished.TryGetValue(stepId, out var took))
        {
            return Durations.Format(took);
        }

        return _started.TryGetValue(stepId, out var start) ? Durations.Format(_time.GetElapsedTime(start)) : "";
    }

    private static string StatusMarkup(StepStatus status) => status switch
    {
        StepStatus.Pending => "[grey]pending[/]",
        StepStatus.Running => "[yellow]running[/]",
        StepStatus.Completed => "[green]completed[/]",
        StepStatus.Failed => "[red]failed[/]",
        StepStatus.Skipped => "[grey]skipped[/]",
        StepStatus.Cancelled => "[red]cancelled[/]",
        _ => status.ToString(),
    };

    // A step with retries shows which attempt runs, and how many it took once done (issue 13).
    private string AttemptMarkup(WorkflowStep step, StepStatus status) =>
        step.Retry is { Attempts: > 1 } retry && _attempts.TryGetValue(step.Id, out var attempt) && (attempt > 1 || status == StepStatus.Running)
            ? string.Create(CultureInfo.InvariantCulture, $" [grey]({attempt}/{retry.Attempts})[/]")
            : "";

    private static string Tail(string line) => line.Length <= 60 ? line : "…" + line[^59..];

    private void OnStarted(object? sender, StepStartedEventArgs e)
    {
        _attempts[e.StepId] = e.Attempt;
        if (e.StepId.Contains('/', StringComparison.Ordinal))
        {
            _children[e.StepId] = StepStatus.Running;
            _childOrder.Enqueue(e.StepId);
        }

        if (e.Attempt == 1)
        {
            _started[e.StepId] = _time.GetTimestamp();
        }
    }

    private void OnFinished(object? sender, StepFinishedEventArgs e)
    {
        _finished[e.StepId] = e.Result.ExecutionTime;
        if (e.StepId.Contains('/', StringComparison.Ordinal))
        {
            _children[e.StepId] = e.Result.Status;
            _childOrder.Enqueue(e.StepId);
        }

        if (e.Result.Cache is { } cache)
        {
            // Why a step with cache: ran or not (issue 14) replaces its last output line.
            _lastLine[e.StepId] = cache.Reason;
        }
    }

    private void OnLog(object? sender, LogReceivedEventArgs e)
    {
        if (e.Entry.StepId is not null && e.Entry.Stream != LogStream.Info)
        {
            _lastLine[e.Entry.StepId] = e.Entry.Text;
        }
    }
}
