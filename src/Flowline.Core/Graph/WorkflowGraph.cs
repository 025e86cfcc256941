namespace Flowline.Graph;

/// <summary>
/// The dependency graph of a workflow by step index (file order). Edges naming unknown steps are dropped:
/// the validator reports those; the graph only answers questions about the steps that exist.
/// </summary>
internal sealed class WorkflowGraph
{
    private readonly Dictionary<string, int> _index;

    private WorkflowGraph(IReadOnlyList<string> ids, Dictionary<string, int> index, int[][] dependencies)
    {
        Ids = ids;
        Dependencies = dependencies;
        _index = index;

        var dependentCounts = new int[ids.Count];
        foreach (var deps in dependencies)
        {
            foreach (var d in deps)
            {
                dependentCounts[d]++;
            }
        }

        var dependents = new int[ids.Count][];
        for (var i = 0; i < ids.Count; i++)
        {
            dependents[i] = dependentCounts[i] == 0 ? [] : new int[dependentCounts[i]];
            dependentCounts[i] = 0;
        }

        for (var i = 0; i < ids.Count; i++)
        {
            foreach (var d in dependencies[i])
            {
                dependents[d][dependentCounts[d]++] = i;
            }
        }

        Dependents = dependents;
    }

    /// <summary>Step ids in file order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>For each step, the indices of the steps it waits for (distinct, known, no self edges).</summary>
    public IReadOnlyList<int[]> Dependencies { get; }

    /// <summary>For each step, the indices of the steps that wait for it.</summary>
    public IReadOnlyList<int[]> Dependents { get; }

    public int Count => Ids.Count;

    /// <summary>Builds the graph of <paramref name="steps"/>, adding <paramref name="extraDependencies"/> (implicit ones, by step index).</summary>
    public static WorkflowGraph Build(
        IReadOnlyList<WorkflowStep> steps,
        Func<int, IReadOnlyList<string>>? extraDependencies = null)
    {
        var ids = new string[steps.Count];
        var index = new Dictionary<string, int>(steps.Count, StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            ids[i] = steps[i].Id;
            index.TryAdd(steps[i].Id, i);
        }

        var dependencies = new int[steps.Count][];
        var seen = new HashSet<int>();
        var list = new List<int>();
        for (var i = 0; i < steps.Count; i++)
        {
            // One list and one set for the whole build, not a list per step (issue 7, B5/B7: 10,000-step graphs).
            seen.Clear();
            list.Clear();
            var dependsOn = steps[i].DependsOn;
            for (var k = 0; k < dependsOn.Count; k++)
            {
                Add(dependsOn[k], i);
            }

            if (extraDependencies is not null)
            {
                var extra = extraDependencies(i);
                for (var k = 0; k < extra.Count; k++)
                {
                    Add(extra[k], i);
                }
            }

            dependencies[i] = list.Count == 0 ? [] : [.. list];
        }

        void Add(string name, int step)
        {
            if (index.TryGetValue(name, out var d) && d != step && seen.Add(d))
            {
                list.Add(d);
            }
        }

        return new WorkflowGraph(ids, index, dependencies);
    }

    public bool TryGetIndex(string id, out int index) => _index.TryGetValue(id, out index);

    /// <summary>A topological order (Kahn's algorithm, ties in file order), or null when the graph has a cycle.</summary>
    public int[]? TopologicalOrder()
    {
        var remaining = new int[Count];
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < Count; i++)
        {
            remaining[i] = Dependencies[i].Length;
            if (remaining[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new int[Count];
        var n = 0;
        while (ready.TryDequeue(out var step, out _))
        {
            order[n++] = step;
            foreach (var dependent in Dependents[step])
            {
                if (--remaining[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        return n == Count ? order : null;
    }

    /// <summary>Dependency level of each step: 0 without dependencies, else 1 + the highest level among them. Requires an acyclic graph.</summary>
    public int[] Levels(int[] topologicalOrder)
    {
        var levels = new int[Count];
        foreach (var step in topologicalOrder)
        {
            var level = 0;
            foreach (var d in Dependencies[step])
            {
                level = Math.Max(level, levels[d] + 1);
            }

            levels[step] = level;
        }

        return levels;
    }

    /// <summary>
    /// Height of each step: the greatest total weight of a path from it to the end of the graph, itself included (with
    /// every weight 1, the number of steps on the longest chain). The scheduler starts the highest ready step first
    /// (critical path first). Weights must be positive; sums saturate at <see cref="long.MaxValue"/>. Requires an acyclic graph.
    /// </summary>
    public long[] Heights(int[] topologicalOrder, ReadOnlySpan<long> weights)
    {
        var heights = new long[Count];
        for (var k = topologicalOrder.Length - 1; k >= 0; k--)
        {
            var step = topologicalOrder[k];
            long height = 0;
            foreach (var dependent in Dependents[step])
            {
                height = Math.Max(height, heights[dependent]);
            }

            heights[step] = height > long.MaxValue - weights[step] ? long.MaxValue : height + weights[step];
        }

        return heights;
    }

    /// <summary>
    /// One cycle per strongly connected component that has one, as a path of ids that returns to its start
    /// (<c>a, b, c, a</c>), starting at the component's first step in file order.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> FindCycles()
    {
        var component = StronglyConnectedComponents();
        var sizes = new int[Count];
        foreach (var c in component)
        {
            sizes[c]++;
        }

        var cycles = new List<IReadOnlyList<string>>();
        var reported = new HashSet<int>();
        for (var start = 0; start < Count; start++)
        {
            var c = component[start];
            if (sizes[c] < 2 || !reported.Add(c))
            {
                continue;
            }

            cycles.Add(CycleWithin(start, c, component));
        }

        return cycles;
    }

    private List<string> CycleWithin(int start, int c, int[] component)
    {
        // Breadth-first search from start along dependency edges inside the component back to start: the shortest cycle through it.
        var parent = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in Dependencies[node])
            {
                if (component[next] != c)
                {
                    continue;
                }

                if (next == start)
                {
                    var path = new List<string> { Ids[start] };
                    var walk = node;
                    var reversed = new List<string>();
                    while (walk != start)
                    {
                        reversed.Add(Ids[walk]);
                        walk = parent[walk];
                    }

                    reversed.Reverse();
                    path.AddRange(reversed);
                    path.Add(Ids[start]);
                    return path;
                }

                if (parent.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return [Ids[start], Ids[start]];
    }

    private int[] StronglyConnectedComponents()
    {
        // Iterative Tarjan: a 10,000-step chain must not overflow the stack.
        var index = new int[Count];
        var low = new int[Count];
        var onStack = new bool[Count];
        var component = new int[Count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        var counter = 0;
        var components = 0;

        for (var root = 0; root < Count; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                if (edge == 0)
                {
                    index[node] = low[node] = counter++;
                    stack.Push(node);
                    onStack[node] = true;
                }

                var deps = Dependencies[node];
                if (edge < deps.Length)
                {
                    work.Push((node, edge + 1));
                    var next = deps[edge];
                    if (index[next] < 0)
                    {
                        work.Push((next, 0));
                    }
                    else if (onStack[next])
                    {
                        low[node] = Math.Min(low[node], index[next]);
                    }

                    continue;
                }

                if (low[node] == index[node])
                {
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component[member] = components;
                    }
                    while (member != node);
                    components++;
                }

                if (work.Count > 0)
                {
                    var parentNode = work.Peek().Node;
                    low[parentNode] = Math.Min(low[parentNode], low[node]);
                }
            }
        }

        return component;
    }
}
