namespace Flowline.Agents;

/// <summary>
/// The <c>echo</c> provider: calls nothing and returns what it was given, for dry runs, examples and tests.
/// The output is the rendered prompt; with <c>outputFormat: json</c> it is an object with the agent, role,
/// prompt, parameters and a <c>summary</c> (the prompt's first non-empty line), so a later step's
/// <c>{{ steps.ID.output.summary }}</c> renders in a dry run too.
/// </summary>
internal sealed class EchoProvider : IAgentProvider
{
    public static EchoProvider Instance { get; } = new();

    public string Description => "echo";

    public Task<StepExecutionResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var line in request.Prompt.Split('\n'))
        {
            request.Log.Line(line.TrimEnd('\r'), LogStream.Stdout);
        }

        foreach (var (name, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            request.Log.Info($"parameter {name} = {Flowline.Expressions.ValueFormatter.Render(value)}");
        }

        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["model"] = "echo", ["finishReason"] = "stop" };
        object output = request.Prompt;
        if (request.WantsJson)
        {
            output = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["agent"] = request.Agent.Name,
                ["role"] = request.Role,
                ["prompt"] = request.Prompt,
                ["system"] = request.System,
                ["parameters"] = request.Parameters,
                ["summary"] = request.Prompt.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "",
            };
        }

        return Task.FromResult(StepExecutionResult.Succeeded(output) with { Metadata = metadata });
    }
}
