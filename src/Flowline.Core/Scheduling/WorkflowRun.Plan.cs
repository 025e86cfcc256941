using Flowline.Execution.Script;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    /// <summary>Fills the per-step arrays; returns why the run cannot start, or null. Defends against definitions the validator would reject.</summary>
    private string? Plan(
        IReadOnlyDictionary<string, StepExecutor> executors,
        Dictionary<string, int> poolIndex,
        bool parallel,
        out int[] levels)
    {
        var n = _steps.Count;
        levels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var step = _steps[i];
            if (_graph.TryGetIndex(step.Id, out var first) && first != i)
            {
                return $"step id '{step.Id}' is used more than once; give every step a unique id";
            }

            // The graph drops unknown names; only when it kept fewer edges than written is a name worth looking up.
            if (_graph.Dependencies[i].Length != step.DependsOn.Count)
            {
                foreach (var dependency in step.DependsOn)
                {
                    if (!_graph.TryGetIndex(dependency, out _))
                    {
                        return $"step '{step.Id}' depends on '{dependency}', which is not a step of this workflow";
                    }
                }
            }

            if (!executors.TryGetValue(step.Type, out var executor))
            {
                return $"step '{step.Id}' has type '{step.Type}', but no executor is registered for it; " +
                    $"register one with WorkflowRunner.RegisterStepExecutor (registered: {string.Join(", ", executors.Keys.Order(StringComparer.Ordinal))})";
            }

            _executors[i] = executor;
            _isolated[i] = step.Parallel?.IsolateErrors == true;
            _runsAfterFailure[i] = _preparation.RunsAfterFailure(step);

            // The script executor enforces its own timeout so it can end the process tree gracefully; others get ours.
            _stepTimeouts[i] = executor is ScriptStepExecutor ? null : step.Config switch
            {
                ScriptStepConfig script => script.Timeout,
                AgentStepConfig agent => agent.Timeout,
                _ => null,
            };

            _limits[i] = step.Parallel switch
            {
                { Enabled: false } => 1,
                { MaxConcurrency: { } max } => Math.Max(1, max),
                _ => Unlimited,
            };

            _pools[i] = NoPool;
            if (step.Parallel?.Resource is { } resource)
            {
                if (!poolIndex.TryGetValue(resource, out var pool))
                {
                    var known = poolIndex.Count == 0 ? "none are defined" : "defined: " + string.Join(", ", poolIndex.Keys);
                    return $"step '{step.Id}' uses resource '{resource}', but parallel.resources has no pool of that name ({known})";
                }

                if (_resourcePools[pool].Size < 1)
                {
                    return $"resource pool '{resource}' has size {_resourcePools[pool].Size}, so step '{step.Id}' could never start; give it at least 1 unit";
                }

                _pools[i] = pool;
            }
        }

        var order = _graph.TopologicalOrder();
        if (order is null)
        {
            var cycle = _graph.FindCycles()[0];
            return $"the steps depend on each other in a cycle ({string.Join(" -> ", cycle)}); remove one of these dependencies";
        }

        levels = _graph.Levels(order);
        var heights = _graph.Heights(order);
        var maxHeight = 0;
        foreach (var h in heights)
        {
            maxHeight = Math.Max(maxHeight, h);
        }

        // Smaller key starts first. Parallel: greatest height (critical path), then file order. Sequential: file order.
        for (var i = 0; i < n; i++)
        {
            _priorities[i] = parallel ? ((long)(maxHeight - heights[i]) << 32) | (uint)i : i;
        }

        return null;
    }
}
