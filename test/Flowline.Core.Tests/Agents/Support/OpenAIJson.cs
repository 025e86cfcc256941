using System.Text.Json;

namespace Flowline.Core.Tests.Agents.Support;

/// <summary>OpenAI chat-completions JSON bodies.</summary>
internal static class OpenAIJson
{
    public const string Model = "test-model-1";
    public const int PromptTokens = 11;
    public const int CompletionTokens = 7;

    public static string Completion(string text, string model = Model) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
        usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
    });

    public static string Chunk(string text, string model = Model) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, delta = new { role = "assistant", content = text }, finish_reason = (string?)null } },
    });

    public static string Finish(string reason, string model = Model) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, delta = new { }, finish_reason = reason } },
    });

    public static string Usage(string model = Model) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model,
        choices = Array.Empty<object>(),
        usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
    });

    public static string ToolCall(string callId, string function, string argumentsJson, string model = Model) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-2",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model,
        choices = new[]
        {
            new
            {
                index = 0,
                delta = new
                {
                    role = "assistant",
                    tool_calls = new[] { new { index = 0, id = callId, type = "function", function = new { name = function, arguments = argumentsJson } } },
                },
                finish_reason = (string?)null,
            },
        },
    });

    public static string Error(string message, string type = "server_error") =>
        JsonSerializer.Serialize(new { error = new { message, type, code = (string?)null } });
}
