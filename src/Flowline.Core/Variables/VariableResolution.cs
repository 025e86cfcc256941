namespace Flowline;

/// <summary>The outcome of <see cref="DeclaredVariables.Resolve"/>: the values a run uses and every problem with what it was given.</summary>
/// <param name="Values">The given values converted to their declared types, plus the defaults of those not given.</param>
/// <param name="Problems">Every problem, all errors; empty when the values may be used.</param>
public sealed record VariableResolution(IReadOnlyDictionary<string, object?> Values, IReadOnlyList<Diagnostic> Problems)
{
    /// <summary>True when there is no problem.</summary>
    public bool IsValid => Problems.Count == 0;
}
