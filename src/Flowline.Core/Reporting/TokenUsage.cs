namespace Flowline.Reporting;

/// <summary>
/// Token usage of a run's agent steps, summed from what each step recorded in its metadata (<c>inputTokens</c>,
/// <c>outputTokens</c>, <c>totalTokens</c>; issue 5), for the summary and detailed reports.
/// </summary>
internal readonly record struct TokenUsage(long InputTokens, long OutputTokens, long TotalTokens, int Steps)
{
    public static TokenUsage Of(WorkflowResult result)
    {
        var sum = default(TokenUsage);
        foreach (var step in result.StepResults.Values)
        {
            var one = OfStep(step);
            if (one.Steps > 0)
            {
                sum = new TokenUsage(sum.InputTokens + one.InputTokens, sum.OutputTokens + one.OutputTokens, sum.TotalTokens + one.TotalTokens, sum.Steps + 1);
            }
        }

        return sum;
    }

    /// <summary>One step's usage; <see cref="Steps"/> is 0 when it recorded none (not an agent step).</summary>
    public static TokenUsage OfStep(StepResult step)
    {
        var input = Read(step.Metadata, "inputTokens");
        var output = Read(step.Metadata, "outputTokens");
        var total = Read(step.Metadata, "totalTokens");
        return input is null && output is null && total is null
            ? default
            : new TokenUsage(input ?? 0, output ?? 0, total ?? (input ?? 0) + (output ?? 0), 1);
    }

    private static long? Read(IReadOnlyDictionary<string, object?> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value switch
        {
            long l => l,
            int i => i,
            double d => (long)d,
            _ => null,
        } : null;
}
