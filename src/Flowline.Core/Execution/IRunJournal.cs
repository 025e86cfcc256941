namespace Flowline.Execution;

/// <summary>
/// Where an executor that hands steps to another system (Slurm) keeps, durably, what it needs to find them again
/// after a crash: one opaque text per step, its "handle" (docs/architecture.md "Where new parts plug in").
/// </summary>
internal interface IRunJournal
{
    /// <summary>The handle the run being resumed left for <paramref name="stepId"/>, or null.</summary>
    public string? PreviousHandle(string stepId);

    /// <summary>Records <paramref name="handle"/> for <paramref name="stepId"/>; completes once it is committed (or recording is off).</summary>
    public Task SaveHandleAsync(string stepId, string handle, CancellationToken cancellationToken);
}
