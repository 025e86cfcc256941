namespace Flowline.State;

/// <summary>One difference between the workflow file and the run being resumed (<see cref="ResumePlan.Changes"/>).</summary>
public sealed record ResumeChange
{
    /// <summary>What kind of change it is.</summary>
    public required ResumeChangeKind Kind { get; init; }

    /// <summary>The step it concerns.</summary>
    public required string StepId { get; init; }

    /// <summary>The change as one line, as <c>flowline resume</c> prints it: <c>~ test  dependsOn changed: [a] -> [b]</c>.</summary>
    public required string Line { get; init; }

    /// <inheritdoc cref="Line"/>
    public override string ToString() => Line;
}
