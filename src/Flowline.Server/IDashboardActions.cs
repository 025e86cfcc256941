using System.Text.Json.Nodes;

namespace Flowline.Server;

/// <summary>
/// What the dashboard's buttons do, supplied by the host (the CLI), which starts runs the way <c>flowline run</c> and
/// <c>flowline mcp</c> do: ordinary recorded runs in the shared store. The server only knows this seam, so the
/// dependencies still point one way (Core ← Server ← Cli).
/// </summary>
internal interface IDashboardActions
{
    /// <summary>Validates <paramref name="file"/> (already confined to the root) and starts it with <paramref name="variables"/>; returns once its run row exists.</summary>
    public Task<DashboardActionResult> StartAsync(string file, JsonObject? variables, CancellationToken cancellationToken);

    /// <summary>Cancels any running run, whichever process records it, and waits (bounded) until it has ended (its processes stopped).</summary>
    public Task<DashboardActionResult> CancelAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Resumes a failed, cancelled or interrupted run as a new run, as <c>flowline resume</c> does.</summary>
    public Task<DashboardActionResult> ResumeAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Cancels every run still going when the server stops, and waits for them.</summary>
    public Task StopAllAsync();
}
