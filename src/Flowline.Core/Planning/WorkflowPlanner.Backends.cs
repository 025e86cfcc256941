using Flowline.Expressions;
using static Flowline.DiagnosticText;

namespace Flowline.Planning;

/// <summary>Where each step runs (issue 12, docs/slurm.md "The YAML"): the executor's backend and what depends on it.</summary>
internal sealed partial class WorkflowPlanner
{
    private const string ScriptType = "script";

    // A missing backend named by the workflow or the override is reported once, not once per step.
    private HashSet<string>? _missingBackendsReported;

    /// <summary>
    /// A <c>script</c> step runs where <see cref="ExecutionOptions.Executor"/> says, else its own <c>executor:</c>,
    /// else the workflow's, else locally; every other type runs locally, whatever the workflow says.
    /// </summary>
    private string Backend(WorkflowStep step)
    {
        if (step.Executor is { } own && !IsKnownBackend(own))
        {
            var suggestion = _suggestions++ < MaxSuggestions ? Suggestions.DidYouMean(own, _executors.AllBackends) : string.Empty;
            Problem(DiagnosticCodes.UnknownExecutor, Pointer(step, "/executor"), step,
                $"{Owner(step)} has 'executor: {own}', which is not an executor.{suggestion} Use {OneOf(_executors.AllBackends)}.");
        }

        if (step.Type != ScriptType)
        {
            if (step.Executor is { } named && named != ExecutorKey.Local && IsKnownBackend(named) && !string.IsNullOrWhiteSpace(step.Type))
            {
                Problem(DiagnosticCodes.ExecutorNotForType, Pointer(step, "/executor"), step,
                    $"{Owner(step)} has 'executor: {named}', but only script steps can run on {named}; '{step.Type}' steps always run locally. Remove 'executor: {named}' from it, or make it a script step.");
            }

            return ExecutorKey.Local;
        }

        return _executorOverride ?? step.Executor ?? _workflow.Executor ?? ExecutorKey.Local;
    }

    /// <summary>The workflow's <c>executor:</c> and the run's override, checked once.</summary>
    private void WorkflowBackends()
    {
        if (_executorOverride is { } chosen && !IsKnownBackend(chosen))
        {
            _problems.Add(new Diagnostic(DiagnosticCodes.UnknownExecutor, DiagnosticSeverity.Error,
                $"The run's executor (ExecutionOptions.Executor, flowline run --executor) is '{chosen}', which is not an executor.{Suggestions.DidYouMean(chosen, _executors.AllBackends)} Use {OneOf(_executors.AllBackends)}."));
        }

        if (_workflow.Executor is { } workflow && !IsKnownBackend(workflow))
        {
            Problem(DiagnosticCodes.UnknownExecutor, "/executor", null,
                $"The workflow has 'executor: {workflow}', which is not an executor.{Suggestions.DidYouMean(workflow, _executors.AllBackends)} Use {OneOf(_executors.AllBackends)}; 'local' (the default) runs steps on this machine, 'slurm' submits script steps to a Slurm cluster.");
        }
    }

    private bool IsKnownBackend(string backend) => _executors.AllBackends.Contains(backend, StringComparer.Ordinal);

    /// <summary>The step's type has executors, but none on the backend it runs on (a known name: unknown ones are reported where they are written).</summary>
    private void MissingBackend(WorkflowStep step, string backend)
    {
        if (!IsKnownBackend(backend))
        {
            return;
        }

        var available = Quote(_executors.BackendsOf(step.Type));
        var fix = backend == ExecutorKey.Slurm
            ? "register the Slurm executor with WorkflowRunner.RegisterStepExecutor, or run locally (executor: local, or flowline run --executor local)"
            : $"register an executor for '{step.Type}' steps whose Backend is '{backend}', or choose one of {available}";
        var message = $"No executor runs '{step.Type}' steps on '{backend}' (registered for '{step.Type}': {available}); {fix}.";
        if (_executorOverride is null && step.Executor is not null)
        {
            Problem(DiagnosticCodes.ExecutorNotRegistered, Pointer(step, "/executor"), step, $"{Owner(step)} runs on '{backend}'. {message}");
        }
        else if ((_missingBackendsReported ??= new(StringComparer.Ordinal)).Add(backend))
        {
            if (_executorOverride is null)
            {
                Problem(DiagnosticCodes.ExecutorNotRegistered, "/executor", null, $"The workflow's script steps run on '{backend}' (executor: {backend}). {message}");
            }
            else
            {
                _problems.Add(new Diagnostic(DiagnosticCodes.ExecutorNotRegistered, DiagnosticSeverity.Error,
                    $"The run's script steps run on '{backend}' (ExecutionOptions.Executor, flowline run --executor). {message}"));
            }
        }
    }

    /// <summary>
    /// A pool backed by a Slurm license is Slurm's to count, so the step takes no Flowline pool; a step in it that runs
    /// locally would not be limited at all. A step's own <c>slurm:</c> block on a local step does nothing: a warning.
    /// </summary>
    private void SlurmPlacement(PlannedStep planned)
    {
        var step = planned.Step;
        var local = planned.Backend == ExecutorKey.Local;
        if (step.Parallel?.Resource is { } resource
            && _workflow.Parallel?.SlurmLicenses.TryGetValue(resource, out var license) == true)
        {
            planned.Pool = -1;
            if (local)
            {
                var fix = step.Type == ScriptType
                    ? "run it on Slurm (executor: slurm on the step or the workflow), or remove 'slurmLicense' from the pool so that Flowline counts it"
                    : $"'{step.Type}' steps always run locally, so give it a pool without 'slurmLicense'";
                Problem(DiagnosticCodes.SlurmLicensePoolRunsLocally, Pointer(step, "/parallel/resource"), step,
                    $"{Owner(step)} uses resource pool '{resource}', which the Slurm license '{license}' enforces, but the step runs locally{OverrideNote()}, where nothing would limit it; {fix}.");
            }
        }

        if (local && step.Slurm is not null)
        {
            var why = step.Type != ScriptType ? $"'{step.Type}' steps always run locally" : $"the step runs locally{OverrideNote()}";
            _diagnostics.Add(new Diagnostic(DiagnosticCodes.SlurmOptionsUnused, DiagnosticSeverity.Warning,
                $"{Owner(step)} has a 'slurm' block, which has no effect: {why}. Remove it, or run the step on Slurm (executor: slurm).",
                Locate(Pointer(step, "/slurm")), StepIdOf(step)));
        }
    }

    private static string OneOf(IReadOnlyList<string> names) =>
        names.Count == 2 ? $"'{names[0]}' or '{names[1]}'" : $"one of {Quote(names)}";

    private string OverrideNote() => _executorOverride is null ? string.Empty : $" (the run's executor is '{_executorOverride}')";
}
