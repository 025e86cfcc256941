namespace Flowline.Reporting;

/// <summary>
/// Token usage of a run's agent steps, summed from what each step recorded in its metadata (<c>inputTokens</c>,
/// <c>outputTokens</c>, <c>totalTokens</c>; issue 5), for the summary and detailed reports.
/// </summary>
internal readonly record struct TokenUsage(long InputTokens, long OutputTokens, long TotalTokens, int Steps)
{
    public static TokenUsage Of(WorkflowResult result)
    {
        long input = 0, output = 0, total = 0;
        var steps = 0;
        foreach (var step in result.StepResults.Values)
        {
            var stepInput = Read(step.Metadata, "inputTokens");
            var stepOutput = Read(step.Metadata, "outputTokens");
            var stepTotal = Read(step.Metadata, "totalTokens");
            if (stepInput is null && stepOutput is null && stepTotal is null)
            {
                continue;
            }

            steps++;
            input += stepInput ?? 0;
            output += stepOutput ?? 0;
            total += stepTotal ?? (stepInput ?? 0) + (stepOutput ?? 0);
        }

        return new TokenUsage(input, output, total, steps);
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
