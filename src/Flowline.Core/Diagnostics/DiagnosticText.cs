namespace Flowline;

/// <summary>How diagnostics name steps and lists, so that the planner's and the validator's messages read alike.</summary>
internal static class DiagnosticText
{
    // A matrix instance shares its matrix step's source, so diagnostics name the step as written (issue 13).
    public static string Owner(WorkflowStep step, bool capital = true) =>
        string.IsNullOrEmpty(step.Id) ? (capital ? "A step" : "a step") : $"{(capital ? "Step" : "step")} '{step.Instance?.Of ?? step.Id}'";

    public static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(static n => $"'{n}'"));

    /// <summary>The JSON pointer of a part of <paramref name="step"/> (<c>/steps/3</c> + <paramref name="suffix"/>).</summary>
    public static string Pointer(WorkflowStep step, string suffix) => step.SourcePath + suffix;

    public static string? StepIdOf(WorkflowStep? step) => step is null || string.IsNullOrEmpty(step.Id) ? null : step.Instance?.Of ?? step.Id;

    /// <summary>Whether diagnostics about <paramref name="step"/> are left out: a matrix instance after the first repeats its first's.</summary>
    public static bool IsRepeat(WorkflowStep? step) => step?.Instance is { Index: > 0 };
}
