namespace Flowline;

/// <summary>A step's <c>parallel:</c> block.</summary>
public sealed record StepParallelOptions
{
    /// <summary>False runs the step alone: nothing else runs beside it.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Start this step only while fewer than this many steps run, and start nothing that would exceed it while it runs.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Named pool of which the step holds one unit while it runs.</summary>
    public string? Resource { get; init; }

    /// <summary>When true the step is not cancelled by another step's fatal failure, and its own failure does not cancel others.</summary>
    public bool IsolateErrors { get; init; }
}
