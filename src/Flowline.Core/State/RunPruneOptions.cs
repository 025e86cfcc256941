namespace Flowline.State;

/// <summary>
/// Which runs <see cref="IRunStore.PruneAsync"/> deletes: those beyond the newest <see cref="Keep"/> and those
/// started more than <see cref="OlderThan"/> ago. A run still heartbeating is never deleted.
/// </summary>
public sealed record RunPruneOptions
{
    /// <summary>Keep the newest this many runs; null to not prune by count.</summary>
    public int? Keep { get; init; }

    /// <summary>Delete runs started longer ago than this; null to not prune by age.</summary>
    public TimeSpan? OlderThan { get; init; }
}
