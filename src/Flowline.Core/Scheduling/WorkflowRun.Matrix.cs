using System.Globalization;
using Flowline.Binding;
using Flowline.Execution;
using Flowline.Expressions;
using Flowline.Planning;

namespace Flowline.Scheduling;

/// <summary>
/// A matrix from a step's output (issue 13, docs/matrix.md "Dynamic fan-out from a step's output"): its placeholder
/// step expands when it would start, that is once the steps its axes read have settled. The axes are evaluated with
/// the expression engine; the plan is built again with the values (the same expansion as a static matrix, instances
/// appended after every other step so no index changes); the run grows to the new plan; the placeholder settles,
/// completed with its instances' ids (skipped when there are none) or failed; and the instances become ready.
/// </summary>
internal sealed partial class WorkflowRun
{
    private bool[]? _kept;

    private void ExpandMatrix(int index)
    {
        var planned = _steps[index];
        var dynamic = planned.DynamicMatrix!;
        var scope = new DictionaryScope(new Dictionary<string, object?>(2, StringComparer.Ordinal)
        {
            ["steps"] = new StepsRoot(this),
            ["variables"] = _options.Variables,
        });
        var values = new Dictionary<string, IReadOnlyList<object?>>(dynamic.Axes.Count, StringComparer.Ordinal);
        foreach (var axis in dynamic.Axes)
        {
            var from = dynamic.Producers.Count == 0 ? "the variable" : string.Join(" or ", dynamic.Producers.Select(static p => $"step '{p}'"));
            var fix = $"make {from} give a list: print a JSON array, such as [\"a\", \"b\"], as its output (or as the named output the axis reads)";
            if (!AxisTemplate.TryEvaluate(axis.Expression, scope, out var list, out var failure, fix))
            {
                FailExpansion(index, $"the matrix axis '{axis.Name}' of step '{planned.Id}' ({axis.Template.Trim()}) {failure} ({DiagnosticCodes.DynamicMatrixNotList})");
                return;
            }

            values[axis.Name] = list;
        }

        WorkflowPlan grown;
        try
        {
            grown = _plan.WithMatrixValues(new DynamicMatrixValues(planned.Id, values));
        }
#pragma warning disable CA1031 // STYLE rule 10: a custom executor's Describe that throws now fails the step, not the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            FailExpansion(index, $"the matrix of step '{planned.Id}' could not be expanded: {exception.Message}");
            return;
        }

        if (!grown.MatrixGroups.TryGetValue(planned.Id, out var instances) || !grown.CanRun)
        {
            var problem = grown.TryGetStep(planned.Id, out var again) && again.MatrixProblem is { } failure ? failure
                : grown.Problems.Count > 0 ? $"{grown.Problems[0].Message} ({grown.Problems[0].Code})"
                : "its matrix could not be expanded";
            FailExpansion(index, problem);
            return;
        }

        var first = _steps.Count;
        Grow(grown);
        var now = _time.GetUtcNow();
        var axes = string.Join(", ", dynamic.Axes.Select(static a => $"'{a.Name}' ({a.Template.Trim()})"));
        Context.Write(planned.Id, LogStream.Info, instances.Count == 0
            ? $"matrix expanded to no instances: {axes} gave an empty list"
            : string.Create(CultureInfo.InvariantCulture, $"matrix expanded to {instances.Count} instances: {string.Join(", ", instances)}"));
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { [StepsRoot.MatrixInstancesKey] = instances };
        Settle(index, instances.Count == 0
            ? new StepResult
            {
                Status = StepStatus.Skipped,
                SkipReason = $"skipped: its matrix has no instances ({axes} gave an empty list)",
                ParallelGroup = planned.Level,
                Metadata = metadata,
            }
            : new StepResult
            {
                Status = StepStatus.Completed,
                Output = instances,
                ParallelGroup = planned.Level,
                StartTime = now,
                EndTime = now,
                Attempts = 1,
                Metadata = metadata,
            });

        var released = KeepExpanded(index, first);
        CountRemaining();
        var seen = new bool[_steps.Count];
        foreach (var i in released)
        {
            if (!seen[i] && (seen[i] = true) && _state.ResultOf(i) is null && _remaining[i] == 0 && (!Stopping || _stop.Cause == StopCause.StepFailed))
            {
                _ready.Enqueue(i, _priorities[i]);
            }
        }
    }

    private void FailExpansion(int index, string message)
    {
        Settle(index, new StepResult { Status = StepStatus.Failed, Error = message, ParallelGroup = _steps[index].Level });
        Release(index);
    }

    /// <summary>
    /// Gives the run the grown plan: every array sized by the plan gets room for the instances, each step keeping its
    /// index. Other threads read the snapshot plan and the state: the plan first, so that a step they count has a row.
    /// </summary>
    private void Grow(WorkflowPlan plan)
    {
        var n = plan.Steps.Count;
        _snapshots.Plan = plan;
        _stop.Steps = plan.Steps;
        _state.Grow(n);
        Array.Resize(ref _remaining, n);
        Array.Resize(ref _startedAfterStop, n);
        Array.Resize(ref _startTimes, n);
        Array.Resize(ref _timeoutSources, n);
        Array.Resize(ref _linkedSources, n);
        if (_cacheInfos is not null)
        {
            Array.Resize(ref _cacheInfos, n);
        }

        if (_kept is not null)
        {
            Array.Resize(ref _kept, n);
        }

        _retries = _retries?.Grown(n);
        _priorities = RunPriorities.Compute(plan, _parallel, _options.ExpectedDurations);
        _plan = plan;
        _steps = plan.Steps;
        _preparation.PlanGrew(plan);
    }

    /// <summary>
    /// The steps that may have become ready: the new instances and every step after the placeholder. In a resumed run
    /// (issue #6), those the snapshot lets it keep settle first, as at the start: the placeholder expanded again from the
    /// kept output of the step it reads, so its instances have the ids they had, and completed ones are not run again.
    /// </summary>
    private List<int> KeepExpanded(int index, int first)
    {
        var candidates = new List<int>();
        for (var i = first; i < _steps.Count; i++)
        {
            candidates.Add(i);
        }

        candidates.AddRange(_plan.Graph.Dependents[index]);
        if (_kept is null || _options.ResumeFrom is not { } snapshot)
        {
            return candidates;
        }

        _kept[index] = true;
        foreach (var (i, result, recorded) in KeptSteps.From(_plan, snapshot, _kept))
        {
            if (_state.ResultOf(i) is not null || _state.StatusOf(i) == StepStatus.Running)
            {
                continue;
            }

            _kept[i] = true;
            Context.Write(_steps[i].Id, LogStream.Info, $"kept from run {snapshot.RunId} ({recorded.ToString().ToLowerInvariant()}); not run again");
            Settle(i, result);
            candidates.AddRange(_plan.Graph.Dependents[i]);
        }

        return candidates;
    }

    /// <summary>Each waiting step's count of dependencies not settled yet, after the graph grew.</summary>
    private void CountRemaining()
    {
        var dependencies = _plan.Graph.Dependencies;
        for (var i = 0; i < _remaining.Length; i++)
        {
            if (_state.ResultOf(i) is not null)
            {
                continue;
            }

            var count = 0;
            foreach (var d in dependencies[i])
            {
                count += _state.ResultOf(d) is null ? 1 : 0;
            }

            _remaining[i] = count;
        }
    }
}
