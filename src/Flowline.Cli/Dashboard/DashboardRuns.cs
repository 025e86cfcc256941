using System.Text.Json;
using System.Text.Json.Nodes;
using Flowline.Cli.Commands;
using Flowline.Server;
using Flowline.State;

namespace Flowline.Cli.Dashboard;

/// <summary>
/// The dashboard's buttons (issue 17), done the way the CLI does them: the file validated by <see cref="WorkflowFiles"/>,
/// declared variables checked as <c>--var</c> values are, the run recorded through <see cref="RunRecording"/> and
/// run in the background by <see cref="BackgroundRuns"/> as <c>flowline mcp</c>'s runs are; a resume planned by
/// <see cref="ResumePlan"/> as <c>flowline resume</c> plans it.
/// </summary>
internal sealed class DashboardRuns(SqliteRunStore store, CliConsole console) : IDashboardActions
{
    private readonly BackgroundRuns _runs = new();

    public async Task<DashboardActionResult> StartAsync(string file, JsonObject? variables, CancellationToken cancellationToken)
    {
        var runner = new WorkflowRunner();
        var validation = runner.ValidateFile(file);
        if (WorkflowFiles.Failed(validation))
        {
            return DashboardActionResult.Invalid([.. validation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString())]);
        }

        var values = StateValues.FromElements(Elements(variables));
        var resolution = DeclaredVariables.Resolve(validation.Definition!, values);
        if (!resolution.IsValid)
        {
            return DashboardActionResult.Invalid([.. resolution.Problems.Select(p => p.ToString())]);
        }

        var options = RunRecording.Recorded(store, new ExecutionOptions { Variables = values, Origin = RunOrigins.Dashboard }, console, RunRecord.NewId());
        return await StartAsync(runner, validation.Plan!, options, cancellationToken);
    }

    public async Task<DashboardActionResult> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        // Any running run, wherever it runs: through the store, as `flowline cancel` does (RunCancellation).
        if (await store.GetRunAsync(runId, cancellationToken) is not { } run)
        {
            return DashboardActionResult.NotFound($"no run '{runId}'.");
        }

        var outcome = await RunCancellation.CancelAsync(store, run, RunOrigins.Requester(RunOrigins.Dashboard), cancellationToken);
        switch (outcome.Result)
        {
            case CancelResult.NotRunning:
                return DashboardActionResult.Conflict(RunCancellation.NotRunningText(run.Id, outcome.Status));
            case CancelResult.StillStopping:
                return DashboardActionResult.Accepted(run.Id);
        }

        // A run of this dashboard has its reports still to write; the button's answer waits for them too.
        if (_runs.Find(run.Id) is { } active)
        {
            await active.Completion.WaitAsync(cancellationToken);
        }

        return DashboardActionResult.Done(run.Id);
    }

    public async Task<DashboardActionResult> ResumeAsync(string runId, CancellationToken cancellationToken)
    {
        if (await store.GetRunAsync(runId, cancellationToken) is not { } run)
        {
            return DashboardActionResult.NotFound($"no run '{runId}'.");
        }

        if (run.Status == RunStatus.Running || _runs.Find(runId) is not null)
        {
            return DashboardActionResult.Conflict($"run {run.Id} is still running; wait for it to end (or cancel it) before resuming it.");
        }

        if (run.WorkflowPath is null || !File.Exists(run.WorkflowPath))
        {
            return DashboardActionResult.Conflict($"run {run.Id} was started from '{run.WorkflowPath ?? "(no file)"}', which no longer exists; put the workflow file back there to resume it.");
        }

        var executor = RecordedOptions.Read(run.Options).Executor;
        var runner = new WorkflowRunner();
        var validation = runner.ValidateFile(run.WorkflowPath, executor);
        if (WorkflowFiles.Failed(validation))
        {
            return DashboardActionResult.Invalid([.. validation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString())]);
        }

        if (await store.LoadSnapshotAsync(run.Id, cancellationToken) is not { } snapshot)
        {
            return DashboardActionResult.NotFound($"run {run.Id} has no recorded steps to resume from.");
        }

        var plan = ResumePlan.Create(run, snapshot, validation.Definition!, new ResumeRequest());
        if (!plan.CanResume)
        {
            return DashboardActionResult.Conflict(
                $"run {run.Id} cannot be resumed here ({plan.Refusal}): "
                + (plan.Changes.Count > 0 ? string.Join("; ", plan.Changes.Select(c => c.Line)) + ". " : "")
                + $"`flowline resume {run.Id}` offers --force and --kill-orphans.");
        }

        var options = RunRecording.Recorded(store, plan.Options with { Executor = executor, Origin = RunOrigins.Dashboard }, console, RunRecord.NewId());
        return await StartAsync(runner, validation.Plan!, options, cancellationToken);
    }

    public Task StopAllAsync() => _runs.CancelAllAsync();

    private async Task<DashboardActionResult> StartAsync(WorkflowRunner runner, WorkflowPlan plan, ExecutionOptions options, CancellationToken cancellationToken)
    {
        var run = _runs.Start(runner, plan, options, console);
        await BackgroundRuns.WaitForRowAsync(store, run, cancellationToken);
        return DashboardActionResult.Accepted(run.RunId);
    }

    private static Dictionary<string, JsonElement> Elements(JsonObject? variables)
    {
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in variables ?? [])
        {
            using var document = JsonDocument.Parse(value?.ToJsonString() ?? "null");
            map[name] = document.RootElement.Clone();
        }

        return map;
    }
}
