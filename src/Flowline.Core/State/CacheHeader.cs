namespace Flowline.State;

/// <summary>
/// The fields of a stored cache entry (<see cref="StepCacheInfo"/>) that the up-to-date check compares, read without
/// its inputs and files: an up-to-date run reads one entry per cached step and, while keys match, never looks at the
/// manifest (issue 14). <see cref="StoredCacheMap"/> reads the maps from the same text when they are asked for.
/// </summary>
internal sealed record CacheHeader
{
    public bool UpToDate { get; init; }

    public required string Reason { get; init; }

    public required string Key { get; init; }

    public string? FromRun { get; init; }
}
