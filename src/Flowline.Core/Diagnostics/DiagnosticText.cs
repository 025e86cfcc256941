namespace Flowline;

/// <summary>How diagnostics name steps and lists, so that the planner's and the validator's messages read alike.</summary>
internal static class DiagnosticText
{
    public static string Owner(WorkflowStep step, bool capital = true) =>
        string.IsNullOrEmpty(step.Id) ? (capital ? "A step" : "a step") : $"{(capital ? "Step" : "step")} '{step.Id}'";

    public static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(static n => $"'{n}'"));

    /// <summary>The JSON pointer of a part of <paramref name="step"/> (<c>/steps/3</c> + <paramref name="suffix"/>).</summary>
    public static string Pointer(WorkflowStep step, string suffix) => step.SourcePath + suffix;

    public static string? StepIdOf(WorkflowStep? step) => step is null || string.IsNullOrEmpty(step.Id) ? null : step.Id;
}
