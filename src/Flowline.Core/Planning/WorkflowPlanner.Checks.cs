using System.Globalization;
using Flowline.Expressions;
using Flowline.Graph;
using Flowline.Loading;
using static Flowline.DiagnosticText;

namespace Flowline.Planning;

internal sealed partial class WorkflowPlanner
{
    /// <summary>Suggestions cost a scan of every id; past this many unknown references they are left out.</summary>
    private const int MaxSuggestions = 50;

    private StepExecutor? Executor(WorkflowStep step, string backend)
    {
        if (string.IsNullOrWhiteSpace(step.Type))
        {
            // The validator words the missing field (or the loader the wrong one); a run cannot start the step either.
            _problems.Add(new Diagnostic(DiagnosticCodes.MissingField, DiagnosticSeverity.Error,
                $"{Owner(step)} is missing its required field 'type'; use one of {Quote(_executors.KnownTypes)}.", Locate(Pointer(step, "/type")), StepIdOf(step)));
            return null;
        }

        if (_executors.TryGet(step.Type, backend, out var executor))
        {
            return executor;
        }

        if (_executors.HasType(step.Type))
        {
            MissingBackend(step, backend);
            return null;
        }

        Problem(DiagnosticCodes.UnknownStepType, Pointer(step, "/type"), step,
            $"Unknown step type '{step.Type}'.{Suggestions.DidYouMean(step.Type, _executors.KnownTypes)} Known types: {Quote(_executors.KnownTypes)}; no executor is registered for '{step.Type}': register one with WorkflowRunner.RegisterStepExecutor.");
        return null;
    }

    private void DuplicateId(WorkflowStep step, PlannedStep planned)
    {
        if (_byId.TryAdd(step.Id, planned))
        {
            return;
        }

        var first = _byId[step.Id].Step;
        var firstLine = _source?.Locate(Pointer(first, "/id"))?.Line;
        var where = firstLine is { } line ? $" at line {line.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        Problem(DiagnosticCodes.DuplicateStepId, Pointer(step, "/id"), step,
            $"Step id '{step.Id}' is used more than once: the step '{first.Name}'{where} has it too; step ids must be unique, rename one of them.");
    }

    private List<ResourcePoolPlan> Pools()
    {
        var pools = new List<ResourcePoolPlan>();
        foreach (var (name, size) in _workflow.Parallel?.Resources ?? EmptyMap<int>.Instance)
        {
            _poolIndex[name] = pools.Count;
            pools.Add(new ResourcePoolPlan(name, size));
            if (size < 1)
            {
                var pointer = "/parallel/resources/" + YamlPointer.Escape(name);
                var message = $"Resource pool '{name}' has size {size}; a pool needs at least 1 unit, or no step using it could ever start.";
                if (_source?.WasRejected(pointer) == true)
                {
                    // The loader said why it has no size (issue 12's map form); the plan still cannot run.
                    _problems.Add(new Diagnostic(DiagnosticCodes.NonPositivePoolSize, DiagnosticSeverity.Error, message, Locate(pointer)));
                }
                else
                {
                    Problem(DiagnosticCodes.NonPositivePoolSize, pointer, null, message);
                }
            }
        }

        return pools;
    }

    private int Pool(WorkflowStep step)
    {
        if (step.Parallel?.Resource is not { } resource)
        {
            return -1;
        }

        if (_poolIndex.TryGetValue(resource, out var pool))
        {
            return pool;
        }

        var declared = _poolIndex.Keys;
        var message = declared.Count > 0
            ? $"{Owner(step)} uses resource '{resource}', which 'parallel.resources' does not declare.{Suggestions.DidYouMean(resource, declared)} Declared: {Quote(declared)}."
            : $"{Owner(step)} uses resource '{resource}', but the workflow declares no resource pools; add 'parallel: {{ resources: {{ {resource}: 1 }} }}' at the top level.";
        Problem(DiagnosticCodes.UndeclaredResource, Pointer(step, "/parallel/resource"), step, message);
        return -1;
    }

    private void Dependencies(PlannedStep planned)
    {
        var step = planned.Step;
        var dependsOn = step.DependsOn;

        // A fan-in step may list thousands of dependencies: look for repeats in a set rather than pairwise.
        var seen = dependsOn.Count > 8 ? new HashSet<string>(dependsOn.Count, StringComparer.Ordinal) : null;
        for (var i = 0; i < dependsOn.Count; i++)
        {
            var dependency = dependsOn[i];
            if (string.Equals(dependency, step.Id, StringComparison.Ordinal))
            {
                Problem(DiagnosticCodes.SelfDependency, DependencyPointer(step, i), step,
                    $"{Owner(step)} depends on itself, so it could never start; remove '{dependency}' from its dependsOn.");
            }
            else if (!_byId.ContainsKey(dependency))
            {
                var suggestion = _suggestions++ < MaxSuggestions ? Suggestions.DidYouMean(dependency, _byId.Keys) : string.Empty;
                Problem(DiagnosticCodes.UnknownDependency, DependencyPointer(step, i), step,
                    $"{Owner(step)} depends on '{dependency}', but no step has that id.{suggestion}");
            }

            if ((seen is null ? IndexOf(dependsOn, dependency, i) >= 0 : !seen.Add(dependency)) && !IsRepeat(step))
            {
                _diagnostics.Add(new Diagnostic(DiagnosticCodes.DuplicateDependency, DiagnosticSeverity.Warning,
                    $"{Owner(step)} lists '{dependency}' twice in dependsOn; remove the repetition.", Locate(DependencyPointer(step, i)), StepIdOf(step)));
            }
        }
    }

    private void Cycles(WorkflowGraph graph, PlannedStep[] steps)
    {
        // Reading steps.X in a condition or template is a dependency too (issue 4), so it can close a cycle.
        foreach (var cycle in graph.FindCycles())
        {
            graph.TryGetIndex(cycle[0], out var index);
            var first = steps[index].Step;
            var reads = new List<string>();
            for (var i = 0; i + 1 < cycle.Count; i++)
            {
                if (graph.TryGetIndex(cycle[i], out var from) && steps[from].ImplicitDependencies.Contains(cycle[i + 1]))
                {
                    reads.Add(steps[from].DynamicMatrix?.Producers.Contains(cycle[i + 1]) == true
                        ? $"the matrix of '{cycle[i]}' fans out over steps.{cycle[i + 1]}"
                        : $"'{cycle[i]}' reads steps.{cycle[i + 1]}");
                }
            }

            var implicitNote = reads.Count == 0 ? string.Empty : $" ({string.Join(", ", reads)}, which makes it wait for that step)";
            Problem(DiagnosticCodes.DependencyCycle, Pointer(first, "/dependsOn"), first,
                $"Steps depend on each other in a cycle (each waits for the next): {string.Join(" -> ", cycle)}{implicitNote}. None of them can ever start; remove one of these dependencies.");
        }
    }

    /// <summary>
    /// Reports a condition or checked template that does not parse, at its line and column: a template once for each
    /// hole that does not parse, each at its own column (docs/diagnostics.md: every problem at once).
    /// </summary>
    private PlannedText Parsed(PlannedText text, WorkflowStep? step)
    {
        if (!text.Checked || IsRepeat(step))
        {
            return text;
        }

        var what = text.IsCondition ? "condition" : $"template in {text.Label}";
        foreach (var error in text.Errors)
        {
            _diagnostics.Add(new Diagnostic(
                error.Code,
                DiagnosticSeverity.Error,
                $"{(step is null ? "The workflow" : Owner(step))} has an invalid {what}: {error.Message}\n{error.Format(text.Text)}",
                _source?.LocateInValue(text.Pointer, error.Position),
                StepIdOf(step)));
        }

        return text;
    }

    /// <summary>
    /// A timeout beyond what a cancellation timer can hold would make the run throw when the step or the workflow
    /// starts (issue 18): it keeps the plan from running, as the validator's reading of the file does.
    /// </summary>
    private void TooLongTimeout(TimeSpan? timeout, string pointer, WorkflowStep? step, string what)
    {
        if (timeout > Durations.MaxTimeout)
        {
            Problem(DiagnosticCodes.TimeoutTooLarge, pointer, step,
                $"{what} is {Durations.FormatMilliseconds(timeout.Value)}; the longest timeout Flowline can enforce is {Durations.MaxTimeoutText}. Give a shorter one, or remove it for no timeout.");
        }
    }

    private static int IndexOf(IReadOnlyList<string> items, string value, int count)
    {
        for (var j = 0; j < count; j++)
        {
            if (string.Equals(items[j], value, StringComparison.Ordinal))
            {
                return j;
            }
        }

        return -1;
    }

    private void Error(string code, string pointer, WorkflowStep? step, string message)
    {
        if (!IsRepeat(step))
        {
            _diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, message, Locate(pointer), StepIdOf(step)));
        }
    }

    /// <summary>An error that keeps the workflow from running at all.</summary>
    private void Problem(string code, string pointer, WorkflowStep? step, string message)
    {
        if (IsRepeat(step))
        {
            // A later matrix instance repeats its first's problem; the first keeps the plan from running.
            return;
        }

        var diagnostic = new Diagnostic(code, DiagnosticSeverity.Error, message, Locate(pointer), StepIdOf(step));
        _diagnostics.Add(diagnostic);
        _problems.Add(diagnostic);
    }

    private SourceLocation? Locate(string pointer) => _source?.Locate(pointer);

    private static string DependencyPointer(WorkflowStep step, int index) =>
        Pointer(step, "/dependsOn/" + index.ToString(CultureInfo.InvariantCulture));
}
