using Flowline.Execution;

namespace Flowline.Scheduling;

/// <summary>
/// What the scheduler keeps about steps with a <c>retry:</c> block (issue 13): made when the first such step starts,
/// so a run without retries allocates none of it (B7).
/// </summary>
internal sealed class RetryState(int steps)
{
    /// <summary>The attempt each step is on (0 before its first).</summary>
    public int[] Attempts { get; } = new int[steps];

    /// <summary>When each step's first attempt started: its result spans every attempt and the waits between them.</summary>
    public DateTimeOffset[] FirstStarts { get; } = new DateTimeOffset[steps];

    /// <summary>The first attempt's preparation (condition and rendered templates); later attempts run the same step.</summary>
    public StepPreparation[] Prepared { get; } = new StepPreparation[steps];

    /// <summary>The failed attempt a step waits to retry, settled as cancelled if the run stops during the wait.</summary>
    public StepResult?[] Waiting { get; } = new StepResult?[steps];

    /// <summary>Steps waiting out a retry delay; the run goes on while there are any.</summary>
    public int Delaying { get; set; }

    /// <summary>The same state with room for <paramref name="steps"/> steps (a dynamic matrix's instances, issue 13).</summary>
    public RetryState Grown(int steps)
    {
        var grown = new RetryState(steps) { Delaying = Delaying };
        Attempts.CopyTo(grown.Attempts, 0);
        FirstStarts.CopyTo(grown.FirstStarts, 0);
        Prepared.CopyTo(grown.Prepared, 0);
        Waiting.CopyTo(grown.Waiting, 0);
        return grown;
    }
}
