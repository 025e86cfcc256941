using Flowline.Binding;
using Flowline.Execution;
using Flowline.Execution.Nested;

namespace Flowline.Scheduling;

/// <summary>
/// Workflows inside workflows (issue 14, docs/workflows-in-workflows.md): a <c>type: workflow</c> step's child runs as
/// a <see cref="WorkflowRun"/> of its own in the same <see cref="RunTree"/>, so one limit, the pools and one lock span
/// both; its steps reach the observers, the store and the result as <c>STEP/CHILD</c>.
/// </summary>
internal sealed partial class WorkflowRun
{
    private Dictionary<string, IReadOnlyList<KeyValuePair<string, StepResult>>>? _childSteps;
    private Dictionary<string, WorkflowStep>? _childDefinitions;

    /// <summary>Posts a wake-up to this run's loop: a slot or pool unit another run held is free (issue 14).</summary>
    public void Wake() => new InFlight(this, -1, null).Post();

    // A pool the top-level run declared is shared by name with its children; a matrix's own pool never is.
    private ResourcePool SharedPool(Planning.ResourcePoolPlan plan)
    {
        if (plan.Name.StartsWith("matrix:", StringComparison.Ordinal))
        {
            return new ResourcePool(plan.Name, plan.Size);
        }

        if (_tree.Pools.TryGetValue(plan.Name, out var shared))
        {
            return new ResourcePool(shared);
        }

        var pool = new ResourcePool(plan.Name, plan.Size);
        _tree.Pools[plan.Name] = pool;
        return pool;
    }

    /// <summary>Parked steps get another chance once another run of the tree freed a unit.</summary>
    private void Woken()
    {
        foreach (var pool in _pools)
        {
            while (pool.Free > 0 && pool.Waiters.TryDequeue(out var waiter, out var priority))
            {
                _ready.Enqueue(waiter, priority);
            }
        }
    }

    /// <summary>
    /// Whether this run must wait for another run of its tree to free a slot or a unit: it has ready or parked steps
    /// and none of its own running. A run alone in its tree never does (its own completions free what it waits for).
    /// </summary>
    private bool WaitsForTree()
    {
        if (!_tree.Nested || (Stopping && _stop.Cause != StopCause.StepFailed))
        {
            return false;
        }

        if (_ready.Count > 0)
        {
            return true;
        }

        foreach (var pool in _pools)
        {
            if (pool.Waiters.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The result with each workflow step's child steps right after it, by their qualified ids.</summary>
    private WorkflowResult WithChildSteps(WorkflowResult result)
    {
        if (_childSteps is null)
        {
            return result;
        }

        var steps = new OrderedDictionary<string, StepResult>(StringComparer.Ordinal);
        foreach (var (id, step) in result.StepResults)
        {
            steps.TryAdd(id, step);
            if (_childSteps.TryGetValue(id, out var children))
            {
                foreach (var (childId, child) in children)
                {
                    steps.TryAdd(childId, child);
                }
            }
        }

        return result with { StepResults = new System.Collections.ObjectModel.ReadOnlyDictionary<string, StepResult>(steps), ChildSteps = _childDefinitions };
    }

    async Task<StepExecutionResult> INestedRuns.RunChildAsync(string stepId, int attempt, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        if (!_plan.Children.TryGetValue(stepId, out var child))
        {
            return new StepExecutionResult { Success = false, CouldNotStart = true, Error = $"step '{stepId}' has no planned child workflow; run 'flowline validate' for why" };
        }

        var resolution = DeclaredVariables.Resolve(child.Plan.Definition, variables);
        if (!resolution.IsValid)
        {
            return new StepExecutionResult
            {
                Success = false,
                CouldNotStart = true,
                Error = "the child workflow's variables are not valid: " + string.Join("; ", resolution.Problems.Select(static p => $"{p.Message} ({p.Code})")),
            };
        }

        var prefix = stepId + "/";
        var plan = child.Plan.WithVariables(resolution.Values);
        var options = _options with
        {
            Variables = resolution.Values,
            RunId = Context.RunId,
            WorkingDirectory = child.Directory,
            Timeout = null,
            MaxConcurrency = null,

            // Another attempt (retry) runs the whole child again; the first one of a resumed run keeps what it can.
            ResumeFrom = attempt == 1 && _options.ResumeFrom is { } resumed ? ChildSnapshot(resumed, prefix) : null,
            ExpectedDurations = _options.ExpectedDurations is { } durations ? Unprefixed(durations, prefix) : null,
        };
        var binder = new StepBinder(plan, options, _time);
        var journal = _stepValues.Journal is { } parentJournal ? new NestedJournal(prefix, parentJournal) : null;
        var run = new WorkflowRun(plan, options, binder, new NestedObserver(prefix, stepId, _observer), _time, null, journal, null, this);
        if (CacheSource is { } cacheSource && Cache is { } cache && Caching.RunCacheSource.HasCachedSteps(plan))
        {
            // The child's cache: steps are checked as the parent's are, against this run's rows under the prefix.
            run.CacheSource = cacheSource;
            run.Cache = await cacheSource.ForChildAsync(cache, prefix, child.Directory, warning => Context.Write(stepId, LogStream.Info, warning), cancellationToken).ConfigureAwait(false);
        }

        var result = await run.RunAsync(cancellationToken).ConfigureAwait(false);
        lock (_tree.Gate)
        {
            (_childSteps ??= new(StringComparer.Ordinal))[stepId] = [.. result.StepResults.Select(s => KeyValuePair.Create(prefix + s.Key, s.Value))];
            _childDefinitions ??= new(StringComparer.Ordinal);
            foreach (var step in plan.Workflow.Steps)
            {
                _childDefinitions[prefix + step.Id] = step with { Id = prefix + step.Id };
            }

            foreach (var (id, step) in result.ChildSteps ?? EmptyMap<WorkflowStep>.Instance)
            {
                _childDefinitions[prefix + id] = step with { Id = prefix + id };
            }
        }

        if (result.Status != WorkflowStatus.Completed)
        {
            return StepExecutionResult.Failed(ChildFailure(prefix, result));
        }

        if (!binder.TryRenderOutputs(run, out var outputs, out var error))
        {
            return StepExecutionResult.Failed($"the outputs of workflow '{Planning.IncludeChain.Display(child.FullPath)}' could not be rendered: {error}");
        }

        return new StepExecutionResult { Success = true, Outputs = outputs };
    }

    // The deepest failed step names the failure: a failed workflow step inside the child says it only through its own child.
    private static string ChildFailure(string prefix, WorkflowResult result)
    {
        var failed = result.StepResults.Where(static s => s.Value.Status is StepStatus.Failed or StepStatus.Cancelled).Select(static s => s.Key).ToList();
        var deepest = failed.FirstOrDefault(id => !failed.Any(other => other.StartsWith(id + "/", StringComparison.Ordinal)));
        if (deepest is not null && result.StepResults[deepest].Error is { } error)
        {
            return $"child step '{prefix}{deepest}' {(result.StepResults[deepest].Status == StepStatus.Cancelled ? "was cancelled" : "failed")}: {error}";
        }

        return $"the child workflow {result.Status.ToString().ToLowerInvariant()}: {result.Error}";
    }

    private static State.WorkflowSnapshot ChildSnapshot(State.WorkflowSnapshot snapshot, string prefix) => snapshot with
    {
        Steps = [.. snapshot.Steps.Where(s => s.StepId.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s with { StepId = s.StepId[prefix.Length..] })],
    };

    private static Dictionary<string, TimeSpan> Unprefixed(IReadOnlyDictionary<string, TimeSpan> durations, string prefix) =>
        durations.Where(d => d.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(d => d.Key[prefix.Length..], d => d.Value, StringComparer.Ordinal);
}
