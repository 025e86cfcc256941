namespace Flowline;

/// <summary>
/// What <see cref="WorkflowLoader"/> read. <see cref="Definition"/> is a best-effort model whenever the file is a
/// YAML mapping, even when <see cref="Diagnostics"/> holds errors, so that a validator can report every problem at
/// once; run a definition only when <see cref="Success"/> is true.
/// </summary>
/// <param name="Definition">The workflow, or null when the file is unreadable, not YAML or not a mapping.</param>
/// <param name="Diagnostics">Every problem found, in file order.</param>
public sealed record LoadResult(WorkflowDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when there is a definition and no error.</summary>
    public bool Success => Definition is not null && !Diagnostics.Any(d => d.IsError);
}
