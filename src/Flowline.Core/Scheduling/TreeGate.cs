namespace Flowline.Scheduling;

/// <summary>
/// The run tree's lock (<see cref="RunTree.Gate"/>) for a run that shares its tree with child runs (issue 14), and
/// nothing for a run that cannot: a top-level run without <c>type: workflow</c> steps pays no lock per completion
/// (bar B7). Held with <c>using (gate.Enter())</c>.
/// </summary>
internal readonly struct TreeGate(Lock? gate)
{
    public Scope Enter()
    {
        gate?.Enter();
        return new Scope(gate);
    }

    internal readonly struct Scope(Lock? gate) : IDisposable
    {
        public void Dispose() => gate?.Exit();
    }
}
