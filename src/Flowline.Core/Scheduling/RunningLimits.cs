namespace Flowline.Scheduling;

/// <summary>
/// The <c>parallel.maxConcurrency</c> limits of the running steps: the smallest one bounds how many may run.
/// Touched only by the scheduler loop.
/// </summary>
internal sealed class RunningLimits
{
    public const int Unlimited = int.MaxValue;

    private readonly SortedDictionary<int, int> _counts = [];

    /// <summary>The smallest limit among the running steps.</summary>
    public int Min { get; private set; } = Unlimited;

    public void Add(int limit)
    {
        if (limit == Unlimited)
        {
            return;
        }

        _counts[limit] = _counts.GetValueOrDefault(limit) + 1;
        Min = Math.Min(Min, limit);
    }

    public void Remove(int limit)
    {
        if (limit == Unlimited)
        {
            return;
        }

        var count = _counts[limit] - 1;
        if (count == 0)
        {
            _counts.Remove(limit);
            Min = _counts.Count == 0 ? Unlimited : _counts.Keys.First();
        }
        else
        {
            _counts[limit] = count;
        }
    }
}
