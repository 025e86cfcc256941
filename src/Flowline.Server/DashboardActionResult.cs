namespace Flowline.Server;

/// <summary>The outcome of a dashboard action: the run it concerns, or the errors (with the HTTP status that fits them).</summary>
internal sealed record DashboardActionResult(int StatusCode, string? RunId, IReadOnlyList<string> Errors)
{
    public static DashboardActionResult Accepted(string runId) => new(StatusCodes.Status202Accepted, runId, []);

    public static DashboardActionResult Done(string runId) => new(StatusCodes.Status200OK, runId, []);

    public static DashboardActionResult Invalid(params IReadOnlyList<string> errors) => new(StatusCodes.Status400BadRequest, null, errors);

    public static DashboardActionResult NotFound(string error) => new(StatusCodes.Status404NotFound, null, [error]);

    public static DashboardActionResult Conflict(string error) => new(StatusCodes.Status409Conflict, null, [error]);
}
