namespace Flowline;

/// <summary>
/// A step's <c>cache:</c> block (issue 14, docs/caching.md): what makes the step up to date. When the workflow's
/// history has a completed run of the step with the same key and every <see cref="Outputs"/> path exists, the step is
/// not run again: it ends completed and cached, with the stdout and named outputs of that run.
/// </summary>
public sealed record CacheOptions
{
    /// <summary>Globs of the files the step reads, relative to the workflow's folder (<c>src/**/*.cs</c>); their contents are part of the key.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Paths the step writes, relative to the workflow's folder; all must exist for the step to be skipped.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>More key material, a <c>{{ }}</c> template (<c>{{ variables.configuration }}</c>); null for none.</summary>
    public string? Key { get; init; }
}
