namespace Flowline.Agents;

/// <summary>
/// The <c>echo</c> provider: calls nothing and returns what it was given, for dry runs, examples and tests.
/// The output is the rendered prompt (trailing newlines trimmed); with <c>outputFormat: json</c> it is an object with the agent, role,
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

        // A YAML block scalar (prompt: |) ends with a newline; like a command's output, it is not part of the answer.
        var prompt = request.Prompt.TrimEnd('\n', '\r');
        foreach (var line in prompt.Split('\n'))
        {
            request.Log.Line(line.TrimEnd('\r'), LogStream.Stdout);
        }

        foreach (var (name, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            request.Log.Info($"parameter {name} = {Flowline.Expressions.ValueFormatter.Render(value)}");
        }

        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["model"] = "echo", ["finishReason"] = "stop" };
        object output = prompt;
        if (request.WantsJson)
        {
            output = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["agent"] = request.Agent.Name,
                ["role"] = request.Role,
                ["prompt"] = prompt,
                ["system"] = request.System,
                ["parameters"] = request.Parameters,
                ["summary"] = prompt.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "",
            };
        }

        return Task.FromResult(StepExecutionResult.Succeeded(output) with { Metadata = metadata });
    }
}
