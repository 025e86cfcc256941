namespace Flowline.Expressions;

/// <summary>
/// The state of the run as the status functions see it, with GitHub Actions semantics:
/// <c>success()</c> is neither failed nor cancelled, <c>failure()</c> is <see cref="AnyFailed"/>,
/// <c>cancelled()</c> is <see cref="Cancelled"/>, <c>always()</c> is true.
/// </summary>
/// <param name="AnyFailed">Whether a step this one depends on (or, at run level, any step) has failed.</param>
/// <param name="Cancelled">Whether the run has been cancelled.</param>
public readonly record struct ExpressionStatus(bool AnyFailed, bool Cancelled);
