using System.Collections.Concurrent;
using Flowline.Execution;

namespace Flowline.State;

/// <summary>
/// A recorded run's <see cref="IRunJournal"/>: handles go through the run's <see cref="RunRecorder"/> queue (queued after
/// the step's running row, and awaited: committed before the job is submitted), and the resumed run's handles are offered back and copied into this run at its start,
/// so a run that dies before it reaches a step still hands that step's job on to the next resume.
/// </summary>
internal sealed class RunJournal(RunRecorder recorder, IReadOnlyDictionary<string, string> previous) : IRunJournal
{
    private readonly ConcurrentDictionary<string, bool> _saved = new(StringComparer.Ordinal);

    public string? PreviousHandle(string stepId) => previous.GetValueOrDefault(stepId);

    public Task SaveHandleAsync(string stepId, string handle, CancellationToken cancellationToken)
    {
        _saved[stepId] = true;
        return recorder.SaveHandleAsync(stepId, handle, cancellationToken);
    }

    /// <summary>Copies the resumed run's handles into this run's rows.</summary>
    public async Task CarryOverAsync(CancellationToken cancellationToken)
    {
        foreach (var (stepId, handle) in previous)
        {
            if (!_saved.ContainsKey(stepId))
            {
                await recorder.SaveHandleAsync(stepId, handle, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
