using System.Text;
using Flowline.Agents.Tools;
using Microsoft.Extensions.AI;

namespace Flowline.Agents.Chat;

/// <summary>
/// Runs an agent on an <see cref="IChatClient"/>: the <c>openai</c> provider's client or one a library user
/// registered. The request goes through function invocation (for the agent's read-only tools) over retries; the
/// response streams into the step's log as it arrives.
/// </summary>
internal sealed class ChatProvider : IAgentProvider
{
    private readonly IChatClient _client;
    private readonly RetryPolicy _retry;

    public ChatProvider(IChatClient client, string description, RetryPolicy retry)
    {
        _client = client;
        _retry = retry;
        Description = description;
    }

    public string Description { get; }

    public async Task<StepExecutionResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var options = new ChatOptions();
        if (request.Agent.GetString("model") is { Length: > 0 } model)
        {
            options.ModelId = model;
        }

        if (ChatParameters.Apply(request.Parameters, options) is { } parameterError)
        {
            return StepExecutionResult.Failed($"agent '{request.RequestedName}': {parameterError}");
        }

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            return StepExecutionResult.Failed($"step '{request.StepId}' has no prompt to send to agent '{request.RequestedName}': write prompt: under config:");
        }

        if (request.Agent.Tools.Count > 0)
        {
            var tools = new WorkspaceTools(request.Context.WorkingDirectory, request.Log.Info);
            options.Tools = tools.Create(request.Agent.Tools);
            request.Log.Info($"tools: {string.Join(", ", request.Agent.Tools)} (read-only, confined to {request.Context.WorkingDirectory})");
        }

        List<ChatMessage> messages = request.System is { Length: > 0 } system
            ? [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, request.Prompt)]
            : [new ChatMessage(ChatRole.User, request.Prompt)];

        // Not disposed: disposing a delegating client disposes its inner one, which may be the user's registered client.
        var retrying = new RetryingChatClient(_client, _retry, request.Context.TimeProvider, request.Log);
        var pipeline = new FunctionInvokingChatClient(retrying) { MaximumIterationsPerRequest = 16 };

        var answer = new StringBuilder();
        var usage = new UsageDetails();
        var toolCalls = 0;
        string? modelId = null;
        ChatFinishReason? finishReason = null;
        await foreach (var update in pipeline.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case UsageContent u:
                        usage.Add(u.Details);
                        break;
                    case FunctionCallContent:
                        toolCalls++;
                        break;
                    case FunctionResultContent:
                        // The answer is what the model says after its last tool call.
                        request.Log.Flush();
                        answer.Clear();
                        finishReason = null;
                        break;
                }
            }

            if (!string.IsNullOrEmpty(update.Text))
            {
                answer.Append(update.Text);
                request.Log.Append(update.Text);
            }

            modelId = update.ModelId ?? modelId;
            finishReason = update.FinishReason ?? finishReason;
        }

        request.Log.Flush();
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["model"] = modelId ?? options.ModelId,
            ["finishReason"] = finishReason?.Value,
            ["inputTokens"] = usage.InputTokenCount,
            ["outputTokens"] = usage.OutputTokenCount,
            ["totalTokens"] = usage.TotalTokenCount ?? (usage.InputTokenCount + usage.OutputTokenCount),
            ["requests"] = retrying.Attempts,
            ["toolCalls"] = toolCalls,
        };

        var text = answer.ToString();
        if (finishReason is null)
        {
            // A complete answer ends with a finish reason; without one the stream was cut or was never an answer.
            if (text.Length == 0)
            {
                return StepExecutionResult.Failed(
                    $"agent '{request.RequestedName}' ({Description}) sent no answer: the stream ended with no text and no finish " +
                    "reason (an empty or cut-off event stream). Check that the endpoint is an OpenAI-compatible chat-completions " +
                    $"server and that it serves the model{(metadata["model"] is { } served ? $" {served}" : "")}") with { Metadata = metadata };
            }

            request.Log.Info("the stream ended without a finish reason: the answer may be cut short");
        }

        if (!request.WantsJson)
        {
            return StepExecutionResult.Succeeded(text) with { Metadata = metadata };
        }

        return AgentOutput.TryParseJson(text, out var json, out var jsonError)
            ? StepExecutionResult.Succeeded(json) with { Metadata = metadata }
            : StepExecutionResult.Failed(jsonError) with { Metadata = metadata };
    }
}
