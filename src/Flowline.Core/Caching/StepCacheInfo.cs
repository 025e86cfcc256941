namespace Flowline;

/// <summary>
/// Why a step with <c>cache:</c> ran or did not (issue 14, docs/caching.md): its key, what it was made of, and the
/// reason shown in the live view, the summary and <c>--report-json</c>.
/// </summary>
public sealed record StepCacheInfo
{
    /// <summary>True when the step did not run because a completed earlier run had the same key and every output exists.</summary>
    public bool UpToDate { get; init; }

    /// <summary><c>up to date (run 01J…)</c>, or why it ran: <c>ran: src/app.cs changed</c>, <c>ran: args changed</c>, <c>ran: no earlier run</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The step's key: a hash of everything in <see cref="Inputs"/> and <see cref="Files"/>, as 32 hex digits.</summary>
    public required string Key { get; init; }

    /// <summary>The run whose step actually ran and whose stdout and outputs were restored; null when the step ran now.</summary>
    public string? FromRun { get; init; }

    /// <summary>
    /// The key's parts other than files, each hashed: <c>type</c>, each top-level config field as rendered
    /// (<c>command</c>, <c>args</c>, <c>workingDirectory</c>), <c>env</c> (the effective environment), <c>key</c>
    /// (<c>cache.key</c> rendered) and each upstream value it reads (<c>steps.build.output</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = EmptyMap<string>.Instance;

    /// <summary>The content hash of every file <c>cache.sources</c> matched, by path relative to the workflow's folder.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = EmptyMap<string>.Instance;
}
