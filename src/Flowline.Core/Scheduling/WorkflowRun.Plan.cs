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
        if (!parallel)
        {
            // Sequential: file order.
            for (var i = 0; i < n; i++)
            {
                _priorities[i] = i;
            }

            return null;
        }

        // Smaller key starts first: the longest expected path ahead (critical path first), then file order. Heights
        // beyond int.MaxValue milliseconds (24 days) tie, which keeps the key in one long.
        var weights = Weights(_options.ExpectedDurations);
        var heights = _graph.Heights(order, weights);
        RaisePoolSteps(heights, weights);
        long maxHeight = 0;
        foreach (var h in heights)
        {
            maxHeight = Math.Max(maxHeight, Math.Min(h, int.MaxValue));
        }

        for (var i = 0; i < n; i++)
        {
            _priorities[i] = ((maxHeight - Math.Min(heights[i], int.MaxValue)) << 32) | (uint)i;
        }

        return null;
    }

    /// <summary>
    /// A resource pool is a bottleneck the critical path does not see: its steps' work divided by its size is a time the
    /// run cannot end before, however the rest is ordered. A pool step therefore counts at least that long, so that when
    /// its pool has room it starts before pool-free steps that could run at any time (bench B4: 20 pool steps of 50 ms
    /// and 80 free ones of 50 ms, ordered by measured durations, otherwise lose a few milliseconds at every hand-over).
    /// </summary>
    private void RaisePoolSteps(long[] heights, long[] weights)
    {
        if (_resourcePools.Length == 0)
        {
            return;
        }

        var work = new long[_resourcePools.Length];
        for (var i = 0; i < _pools.Length; i++)
        {
            if (_pools[i] != NoPool)
            {
                work[_pools[i]] = Math.Min(work[_pools[i]] + weights[i], int.MaxValue);
            }
        }

        for (var i = 0; i < _pools.Length; i++)
        {
            if (_pools[i] != NoPool)
            {
                var pool = _pools[i];
                heights[i] = Math.Max(heights[i], work[pool] / Math.Max(1, _resourcePools[pool].Size));
            }
        }
    }

    /// <summary>
    /// Each step's weight for <see cref="Graph.WorkflowGraph.Heights"/>: its expected duration in whole milliseconds (at
    /// least 1), the median of the known ones for a step without an entry, and 1 for every step when none is known.
    /// </summary>
    private long[] Weights(IReadOnlyDictionary<string, TimeSpan>? expected)
    {
        var weights = new long[_steps.Count];
        var known = new List<long>();
        for (var i = 0; i < weights.Length; i++)
        {
            if (expected is not null && expected.TryGetValue(_steps[i].Id, out var duration))
            {
                weights[i] = Math.Max(1, (long)Math.Min(Math.Round(duration.TotalMilliseconds), int.MaxValue));
                known.Add(weights[i]);
            }
        }

        known.Sort();
        var unknown = known.Count == 0 ? 1 : known[known.Count / 2];
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0)
            {
                weights[i] = unknown;
            }
        }

        return weights;
    }
}
