using System.ClientModel.Primitives;
using System.Text;

namespace Flowline.Agents.Chat;

/// <summary>
/// Refuses a successful HTTP answer the OpenAI client would read as an empty one (issue 18): a streaming request
/// answered with a whole JSON body or an HTML page instead of <c>text/event-stream</c>. Without it the client finds
/// no events in the body and the step "completes" with empty output.
/// </summary>
internal sealed class AnswerCheckPolicy : PipelinePolicy
{
    // Enough of a body to quote in a message; the rest is never read.
    private const int Peek = 4096;

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        if (message.Response is not { Status: >= 200 and < 300 } response)
        {
            return;
        }

        // Flowline always streams; a plain request's unreadable body surfaces as a JsonException (ProviderFailure).
        response.Headers.TryGetValue("Content-Type", out var contentType);
        if (!message.BufferResponse && !IsEventStream(contentType))
        {
            var start = await PeekAsync(response, message.CancellationToken).ConfigureAwait(false);
            throw new UnreadableAnswerException(NotAStream(response.Status, contentType!, start));
        }
    }

    private const string CheckBaseUrl = "Check that baseUrl is the API root of an OpenAI-compatible server (Flowline posts to baseUrl + /chat/completions)";

    // A missing or text/plain type is let through: some servers stream with it, and an empty stream is caught later.
    private static bool IsEventStream(string? contentType) =>
        contentType is null
        || contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    private static string NotAStream(int status, string contentType, string start)
    {
        var what = ResponseBody.IsJson(start, out var root) && root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("choices", out _)
            ? "a whole chat completion instead of an event stream: the server ignored \"stream\": true, and Flowline reads every answer as a stream"
            : "a body that is neither an event stream nor a chat completion";
        var body = start.Length == 0 ? "(empty body)" : ResponseBody.Cut(start);
        return $"the endpoint answered a streaming request with HTTP {status}, Content-Type {contentType}: {what}. " +
            $"The body begins: {body}. {CheckBaseUrl}";
    }

    private static async Task<string> PeekAsync(PipelineResponse response, CancellationToken cancellationToken)
    {
        if (response.ContentStream is not { } stream)
        {
            return "";
        }

        var buffer = new byte[Peek];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}

/// <summary>A successful HTTP answer that holds no readable chat completion; never retried.</summary>
internal sealed class UnreadableAnswerException : Exception
{
    public UnreadableAnswerException()
    {
    }

    public UnreadableAnswerException(string message)
        : base(message)
    {
    }

    public UnreadableAnswerException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
