namespace Flowline.Cli.Tests;

/// <summary>
/// The processes a test started or found (a held step, an escaped grandchild): killed with their process groups when
/// the test ends, so that a failing test leaves nothing running (<see cref="Processes.KillLeftovers"/>).
/// </summary>
internal sealed class Leftovers : IDisposable
{
    private readonly List<int> _pids = [];

    /// <summary>The first process added.</summary>
    public int First => _pids[0];

    public void Add(params int[] pids) => _pids.AddRange(pids);

    public void Dispose()
    {
        foreach (var pid in _pids)
        {
            Processes.KillLeftovers(pid);
        }
    }
}
