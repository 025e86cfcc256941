namespace Flowline.Execution.Nested;

/// <summary>
/// The running workflow as the <c>workflow</c> step executor sees it (issue 14): it runs the child of one of its
/// steps inside itself, with the same scheduler, limits and pools.
/// </summary>
internal interface INestedRuns
{
    /// <summary>
    /// Runs the child workflow of step <paramref name="stepId"/> with <paramref name="variables"/> (rendered from
    /// <c>config.variables</c>) to its end, and renders the child's <c>outputs</c>.
    /// </summary>
    public Task<StepExecutionResult> RunChildAsync(string stepId, int attempt, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken);
}
