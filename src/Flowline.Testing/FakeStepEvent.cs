namespace Flowline.Testing;

/// <summary>A step entering or leaving a <see cref="FakeStepExecutor"/>, in the order the executor saw them.</summary>
/// <param name="StepId">The step.</param>
/// <param name="IsStart">True when the executor was entered, false when it returned or threw.</param>
public sealed record FakeStepEvent(string StepId, bool IsStart);
