using Flowline.Execution;

namespace Flowline.Scheduling;

/// <summary>A child run's journal (issue 14): its steps' handles are kept under their qualified ids.</summary>
internal sealed class NestedJournal(string prefix, IRunJournal parent) : IRunJournal
{
    public string? PreviousHandle(string stepId) => parent.PreviousHandle(prefix + stepId);

    public Task SaveHandleAsync(string stepId, string handle, CancellationToken cancellationToken) =>
        parent.SaveHandleAsync(prefix + stepId, handle, cancellationToken);
}
