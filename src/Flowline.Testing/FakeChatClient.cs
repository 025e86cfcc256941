using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Flowline.Testing;

/// <summary>
/// A chat client that answers from a script instead of a model, for testing workflows with agent steps:
/// register it with <c>AgentStepExecutor.RegisterChatClient("code-analyzer", fake)</c> (or through the runner) and
/// read back what each step sent in <see cref="Requests"/>. Streams each answer word by word, with token usage.
/// </summary>
public sealed class FakeChatClient : IChatClient
{
    private readonly Func<FakeChatRequest, string> _respond;
    private readonly ConcurrentQueue<FakeChatRequest> _requests = new();

    /// <summary>Answers with <paramref name="answers"/> in order; the last one answers every later request.</summary>
    /// <param name="answers">At least one answer.</param>
    public FakeChatClient(params string[] answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfZero(answers.Length);
        var next = 0;
        _respond = _ => answers[Math.Min(Interlocked.Increment(ref next) - 1, answers.Length - 1)];
    }

    /// <summary>Answers each request with what <paramref name="respond"/> returns for it.</summary>
    /// <param name="respond">Computes an answer from the request.</param>
    public FakeChatClient(Func<FakeChatRequest, string> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        _respond = respond;
    }

    /// <summary>The model id reported in responses.</summary>
    public string ModelId { get; init; } = "fake-model";

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeChatRequest> Requests => [.. _requests];

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answer = Answer(messages, options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = options?.ModelId ?? ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage(answer),
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var answer = Answer(messages, options);
        var model = options?.ModelId ?? ModelId;
        var start = 0;
        while (start < answer.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var space = answer.IndexOf(' ', start);
            var end = space < 0 ? answer.Length : space + 1;
            yield return new ChatResponseUpdate(ChatRole.Assistant, answer[start..end]) { ModelId = model };
            start = end;
            await Task.Yield();
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(answer))])
        {
            ModelId = model,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private string Answer(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = new FakeChatRequest([.. messages], options);
        _requests.Enqueue(request);
        return _respond(request);
    }

    private static UsageDetails Usage(string answer) => new()
    {
        InputTokenCount = 10,
        OutputTokenCount = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length,
        TotalTokenCount = 10 + answer.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length,
    };
}

/// <summary>One request a <see cref="FakeChatClient"/> received.</summary>
/// <param name="Messages">The messages sent, system prompt first when there is one.</param>
/// <param name="Options">The chat options (model, temperature, response format…).</param>
public sealed record FakeChatRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    /// <summary>The text of the last user message: the step's rendered prompt.</summary>
    public string Prompt => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";

    /// <summary>The system prompt, if one was sent.</summary>
    public string? System => Messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text;
}
