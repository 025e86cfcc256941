namespace Flowline.State;

/// <summary>How a step of the workflow file differs from the run being resumed.</summary>
public enum ResumeChangeKind
{
    /// <summary>A step with a result in the run is gone from the file (removed or renamed).</summary>
    Removed,

    /// <summary>A step's <c>dependsOn</c> differs from the one the run recorded.</summary>
    DependenciesChanged,

    /// <summary>A step the run did not have; it will run.</summary>
    Added,
}
