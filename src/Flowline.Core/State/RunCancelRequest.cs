namespace Flowline.State;

/// <summary>
/// A request, recorded in the store by another process (the dashboard, <c>flowline cancel</c>, <c>flowline mcp</c>),
/// that a running run stop (issue 17). The engine recording the run polls for it and then cancels the run as Ctrl+C
/// does (docs/architecture.md "Cancelling a run from another process").
/// </summary>
/// <param name="RequestedAt">When it was recorded, by the store's clock.</param>
/// <param name="RequestedBy">Who asked, as the requester described itself (<c>dashboard (alice)</c>).</param>
public sealed record RunCancelRequest(DateTimeOffset RequestedAt, string RequestedBy);
