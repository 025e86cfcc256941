namespace Flowline.Scheduling;

/// <summary>
/// What a run shares with the child runs of its <c>type: workflow</c> steps (issue 14, docs/workflows-in-workflows.md):
/// one global limit and its used slots, the resource pools by name, and one lock. Each run's loop holds the lock
/// while it settles and dispatches, so the shared counts need no other care; a run that frees a slot wakes the others.
/// A top-level run without <c>type: workflow</c> steps is alone in its tree and skips the lock (<see cref="TreeGate"/>).
/// </summary>
internal sealed class RunTree(int limit)
{
    private readonly List<WorkflowRun> _runs = [];

    /// <summary>Held by a run's loop while it completes, settles and dispatches steps.</summary>
    public Lock Gate { get; } = new();

    /// <summary>How many steps may hold a slot at once, in the whole tree.</summary>
    public int Limit { get; } = limit;

    /// <summary>Steps holding a slot now, in the whole tree (the <c>type: workflow</c> steps themselves hold none).</summary>
    public int Used { get; set; }

    /// <summary>The pools, by name, that the top-level run declared; a child's pool of the same name shares its units.</summary>
    public Dictionary<string, ResourcePool> Pools { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a child run is running: only then does a freed slot wake other runs.</summary>
    public bool Nested => _runs.Count > 1;

    public void Enter(WorkflowRun run) => _runs.Add(run);

    public void Leave(WorkflowRun run) => _runs.Remove(run);

    /// <summary>Wakes every run but <paramref name="freer"/>: a slot or a pool unit is free.</summary>
    public void Freed(WorkflowRun freer)
    {
        foreach (var run in _runs)
        {
            if (!ReferenceEquals(run, freer))
            {
                run.Wake();
            }
        }
    }
}
