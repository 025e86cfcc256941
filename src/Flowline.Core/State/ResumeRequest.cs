namespace Flowline.State;

/// <summary>What the user asks of a resume (<c>flowline resume RUN_ID [--force] [--from STEP]</c>).</summary>
public sealed record ResumeRequest
{
    /// <summary>Resume even if the file changed in ways that break the run, or the run still looks alive.</summary>
    public bool Force { get; init; }

    /// <summary>Run this step and everything downstream of it again; null keeps every result it can.</summary>
    public string? FromStep { get; init; }
}
