using System.Runtime.CompilerServices;

namespace Flowline.Scheduling;

/// <summary>A named pool of <c>parallel.resources</c>. Touched only by the scheduler loop (of the run tree, issue 14).</summary>
internal sealed class ResourcePool
{
    private readonly StrongBox<int> _free;

    public ResourcePool(string name, int size)
    {
        Name = name;
        Size = size;
        _free = new StrongBox<int>(size);
    }

    /// <summary>A child run's view of <paramref name="shared"/> (issue 14): the same units, its own waiters.</summary>
    public ResourcePool(ResourcePool shared)
    {
        Name = shared.Name;
        Size = shared.Size;
        _free = shared._free;
    }

    public string Name { get; }

    public int Size { get; }

    public int Free
    {
        get => _free.Value;
        set => _free.Value = value;
    }

    /// <summary>Ready steps parked until a unit frees, by the same priority as the ready queue; they hold no slot.</summary>
    public PriorityQueue<int, long> Waiters { get; } = new();

    /// <summary>Sum over the steps that held a unit of their run time, in ticks.</summary>
    public long BusyTicks { get; set; }
}
