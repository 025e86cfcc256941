using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Flowline.Agents.Chat;

/// <summary>
/// What went wrong in a call to a chat provider, read from whatever the client threw: the OpenAI client's
/// <see cref="ClientResultException"/>, an <see cref="HttpRequestException"/>, or a socket error. Transient
/// failures (HTTP 408, 429, 5xx, a refused or reset connection) are worth retrying.
/// </summary>
internal sealed record ProviderFailure(bool IsTransient, int? Status, TimeSpan? RetryAfter, string Message)
{
    public static ProviderFailure From(Exception exception, TimeProvider timeProvider)
    {
        switch (exception)
        {
            case ClientResultException result when result.Status != 0:
                return FromStatus(result.Status, RetryAfterOf(result, timeProvider), StatusMessage(result));
            case ClientResultException result when result.InnerException is { } inner:
                return From(inner, timeProvider) with { Message = result.Message };
            case HttpRequestException { StatusCode: { } code } http:
                return FromStatus((int)code, null, http.Message);
            case HttpRequestException http:
                return new ProviderFailure(true, null, null, http.Message);
            case System.Text.Json.JsonException json:
                return new ProviderFailure(false, null, null, $"the answer could not be read as an OpenAI chat completion: {json.Message}");
            case IOException or SocketException:
                return new ProviderFailure(true, null, null, exception.Message);
            default:
                return exception.InnerException is { } cause and (HttpRequestException or IOException or SocketException)
                    ? From(cause, timeProvider) with { Message = exception.Message }
                    : new ProviderFailure(false, null, null, exception.Message);
        }
    }

    /// <summary>"HTTP 429" or "connection failed", for the attempt log.</summary>
    public string Short => Status is { } status
        ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}")
        : "connection failed";

    private static ProviderFailure FromStatus(int status, TimeSpan? retryAfter, string message) =>
        new(status is 408 or 429 || status >= 500, status, retryAfter, message);

    // The client's own text reads "HTTP 500 (: )" when the body is no OpenAI error, and leaves out an HTML page
    // entirely; the status, its reason phrase and the body (cut) say what the server said (issue 18).
    private static string StatusMessage(ClientResultException result)
    {
        if (result.GetRawResponse() is not { } response)
        {
            return result.Message;
        }

        BinaryData? body;
        try
        {
            body = response.Content;
        }
        catch (InvalidOperationException)
        {
            // A streamed body that was never read into memory.
            body = null;
        }

        var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? "" : " " + response.ReasonPhrase.Trim();
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {response.Status}{reason}: {ResponseBody.Describe(body)}");
    }

    private static TimeSpan? RetryAfterOf(ClientResultException result, TimeProvider timeProvider)
    {
        if (result.GetRawResponse()?.Headers is not { } headers || !headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date - timeProvider.GetUtcNow()
            : null;
    }
}

/// <summary>A provider call failed for good: not transient, or still failing after the last attempt.</summary>
internal sealed class ProviderCallException : Exception
{
    public ProviderCallException(string message, int attempts, Exception inner)
        : base(message, inner)
    {
        Attempts = attempts;
    }

    public ProviderCallException()
    {
    }

    public ProviderCallException(string message)
        : base(message)
    {
    }

    public ProviderCallException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int Attempts { get; }
}
