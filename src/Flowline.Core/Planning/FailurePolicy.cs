namespace Flowline.Planning;

/// <summary>Which steps still decide for themselves after a fatal failure (issue 4, docs/scheduling.md).</summary>
internal static class FailurePolicy
{
    private static readonly string[] OutcomeFields = ["success", "status", "error", "exitCode", "skipReason"];
    private static readonly string[] OutcomeFunctions = ["failure", "always", "cancelled"];

    /// <summary>
    /// Whether the step may still start after a fatal failure has stopped the run: its condition reads another
    /// step's outcome (<c>steps.X.success</c>, <c>failure()</c>, <c>always()</c>…), so it decides for itself.
    /// </summary>
    public static bool RunsAfterFailure(PlannedStep step)
    {
        if (step.Condition?.Expression is not { } expression)
        {
            return false;
        }

        return expression.FunctionsUsed.Any(OutcomeFunctions.Contains) || ReadsOutcomeOfAnotherStep(expression, step.Id);
    }

    // A separate method so that the lambda's closure is allocated only for steps with a condition.
    private static bool ReadsOutcomeOfAnotherStep(Expressions.Expression expression, string stepId) =>
        expression.References.Any(r => r.Root == "steps" && r.Segments.Count >= 2 && r.Segments[0] != stepId && OutcomeFields.Contains(r.Segments[1]));
}
