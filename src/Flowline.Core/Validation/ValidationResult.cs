namespace Flowline;

/// <summary>The outcome of <see cref="WorkflowValidator"/>: every problem found, errors and warnings.</summary>
/// <param name="Diagnostics">Every problem found, in file order.</param>
public sealed record ValidationResult(IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The definition that was validated; from <see cref="WorkflowValidator.ValidateFile"/>, null when the file could not be read as a workflow at all.</summary>
    public WorkflowDefinition? Definition { get; init; }

    /// <summary>
    /// Dependencies the steps get by reading other steps in conditions and templates (<c>steps.build.output</c>),
    /// by step id, in addition to their <c>dependsOn</c>; for <c>flowline graph</c> and <c>validate --verbose</c>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ImplicitDependencies { get; init; } = EmptyMap<IReadOnlyCollection<string>>.Instance;

    /// <summary>
    /// The plan of <see cref="Definition"/> (issue 11): what <see cref="WorkflowRunner.ExecuteAsync(WorkflowPlan, ExecutionOptions?, CancellationToken)"/>
    /// runs and <c>flowline graph</c> draws; null when the file could not be read as a workflow at all.
    /// </summary>
    public WorkflowPlan? Plan { get; init; }

    /// <summary>True when there is no error (warnings allowed).</summary>
    public bool IsValid => !Diagnostics.Any(static d => d.IsError);

    /// <summary>The errors.</summary>
    public IReadOnlyList<Diagnostic> Errors => [.. Diagnostics.Where(static d => d.IsError)];

    /// <summary>The warnings.</summary>
    public IReadOnlyList<Diagnostic> Warnings => [.. Diagnostics.Where(static d => !d.IsError)];
}
