namespace Flowline;

/// <summary>
/// One entry of the workflow's <c>variables:</c> block (issue 13, docs/variables.md): its type, default, description,
/// whether it must be given and the values it may take.
/// </summary>
public sealed record VariableDefinition
{
    /// <summary>The variable's type; <see cref="VariableType.String"/> unless given or implied by the default.</summary>
    public VariableType Type { get; init; }

    /// <summary>The value used when the run is not given one; null for none.</summary>
    public object? Default { get; init; }

    /// <summary>What the variable is for, shown by <c>flowline validate --verbose</c> and <c>flowline run FILE --help</c>.</summary>
    public string? Description { get; init; }

    /// <summary>True when a run must give a value (<c>--var</c>, <c>--vars-file</c> or <see cref="ExecutionOptions.Variables"/>).</summary>
    public bool Required { get; init; }

    /// <summary>The only values allowed; null allows any value of <see cref="Type"/>.</summary>
    public IReadOnlyList<object?>? Enum { get; init; }
}
