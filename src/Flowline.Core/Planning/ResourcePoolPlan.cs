namespace Flowline.Planning;

/// <summary>A pool of <c>parallel.resources</c> as planned: its name and size; each run makes its own counters from it.</summary>
internal sealed record ResourcePoolPlan(string Name, int Size);
