namespace Flowline.Scheduling;

/// <summary>
/// The order in which ready steps start (docs/scheduling.md): a smaller key starts first. In parallel mode the
/// longest expected path ahead comes first (critical path), then file order; in sequential mode, file order.
/// </summary>
internal static class RunPriorities
{
    /// <summary>The keys by step index; read-only (those without durations are the plan's, shared by its runs).</summary>
    public static long[] Compute(WorkflowPlan plan, bool parallel, IReadOnlyDictionary<string, TimeSpan>? expected)
    {
        if (expected is null or { Count: 0 })
        {
            return parallel
                ? plan.StepCountPriorities ??= Build(plan, parallel, null)
                : plan.FileOrderPriorities ??= Build(plan, parallel, null);
        }

        return Build(plan, parallel, expected);
    }

    private static long[] Build(WorkflowPlan plan, bool parallel, IReadOnlyDictionary<string, TimeSpan>? expected)
    {
        var n = plan.Steps.Count;
        var priorities = new long[n];
        if (!parallel || plan.Order is not { } order)
        {
            for (var i = 0; i < n; i++)
            {
                priorities[i] = i;
            }

            return priorities;
        }

        // Heights beyond int.MaxValue milliseconds (24 days) tie, which keeps the key in one long.
        var weights = Weights(plan, expected);
        var heights = plan.Graph.Heights(order, weights);
        RaisePoolSteps(plan, heights, weights);
        long maxHeight = 0;
        foreach (var h in heights)
        {
            maxHeight = Math.Max(maxHeight, Math.Min(h, int.MaxValue));
        }

        for (var i = 0; i < n; i++)
        {
            priorities[i] = ((maxHeight - Math.Min(heights[i], int.MaxValue)) << 32) | (uint)i;
        }

        return priorities;
    }

    /// <summary>
    /// A resource pool is a bottleneck the critical path does not see: its steps' work divided by its size is a time the
    /// run cannot end before, however the rest is ordered. A pool step therefore counts at least that long, so that when
    /// its pool has room it starts before pool-free steps that could run at any time (bench B4: 20 pool steps of 50 ms
    /// and 80 free ones of 50 ms, ordered by measured durations, otherwise lose a few milliseconds at every hand-over).
    /// A matrix's <c>maxParallel</c> is such a pool too (docs/matrix.md), and counts the same way.
    /// </summary>
    private static void RaisePoolSteps(WorkflowPlan plan, long[] heights, long[] weights)
    {
        if (plan.Pools.Count == 0)
        {
            return;
        }

        var work = new long[plan.Pools.Count];
        foreach (var step in plan.Steps)
        {
            AddWork(work, step.Pool, weights[step.Index]);
            AddWork(work, step.MatrixPool, weights[step.Index]);
        }

        foreach (var step in plan.Steps)
        {
            heights[step.Index] = Math.Max(heights[step.Index], Math.Max(Bound(plan, work, step.Pool), Bound(plan, work, step.MatrixPool)));
        }
    }

    private static void AddWork(long[] work, int pool, long weight)
    {
        if (pool >= 0)
        {
            work[pool] = Math.Min(work[pool] + weight, int.MaxValue);
        }
    }

    /// <summary>The time a pool's steps need at least, its work over its size; 0 for no pool (-1).</summary>
    private static long Bound(WorkflowPlan plan, long[] work, int pool) => pool >= 0 ? work[pool] / Math.Max(1, plan.Pools[pool].Size) : 0;

    /// <summary>
    /// Each step's weight for <see cref="Graph.WorkflowGraph.Heights"/>: its expected duration in whole milliseconds (at
    /// least 1), the median of the known ones for a step without an entry, and 1 for every step when none is known.
    /// </summary>
    private static long[] Weights(WorkflowPlan plan, IReadOnlyDictionary<string, TimeSpan>? expected)
    {
        var weights = new long[plan.Steps.Count];
        var known = new List<long>();
        for (var i = 0; i < weights.Length; i++)
        {
            if (expected is not null && expected.TryGetValue(plan.Steps[i].Id, out var duration))
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
