namespace Flowline.Scheduling;

/// <summary>A named pool of <c>parallel.resources</c>. Touched only by the scheduler loop.</summary>
internal sealed class ResourcePool
{
    public ResourcePool(string name, int size)
    {
        Name = name;
        Size = size;
        Free = size;
    }

    public string Name { get; }

    public int Size { get; }

    public int Free { get; set; }

    /// <summary>Ready steps parked until a unit frees, by the same priority as the ready queue; they hold no slot.</summary>
    public PriorityQueue<int, long> Waiters { get; } = new();

    /// <summary>Sum over the steps that held a unit of their run time, in ticks.</summary>
    public long BusyTicks { get; set; }
}
