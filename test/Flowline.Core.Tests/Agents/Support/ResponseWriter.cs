using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Flowline.Core.Tests.Agents.Support;

/// <summary>Writes one HTTP response on the connection.</summary>
internal sealed class ResponseWriter
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    public ResponseWriter(TcpClient client, NetworkStream stream, CancellationToken stopping)
    {
        _client = client;
        _stream = stream;
        Stopping = stopping;
    }

    /// <summary>Cancelled when the server is disposed; scripts waiting on a gate pass it along.</summary>
    public CancellationToken Stopping { get; }

    public Task JsonAsync(int status, string json, params (string Name, string Value)[] headers) =>
        BodyAsync(status, "application/json", json, headers);

    /// <summary>A whole response with any content type and body: also a broken server's answer (issue 18).</summary>
    public async Task BodyAsync(int status, string contentType, string text, params (string Name, string Value)[] headers)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await _stream.WriteAsync(body);
        await _stream.FlushAsync();
    }

    public async Task StartEventsAsync()
    {
        const string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await _stream.FlushAsync();
    }

    public async Task EventAsync(string data)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"));
        await _stream.FlushAsync();
    }

    public async Task EndEventsAsync() => await EventAsync("[DONE]");

    /// <summary>An event stream with no chunk at all, ended by <c>[DONE]</c> or, when not <paramref name="done"/>, by closing.</summary>
    public async Task EmptyEventsAsync(bool done)
    {
        await StartEventsAsync();
        if (done)
        {
            await EndEventsAsync();
        }
    }

    /// <summary>Resets the connection (TCP RST) without a response: a "connection reset by peer" for the client.</summary>
    public void Reset()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Client.Close();
    }

    /// <summary>Answers <paramref name="request"/> with <paramref name="text"/>, streaming when the client asked to.</summary>
    public async Task AnswerAsync(RecordedRequest request, string text, string model = OpenAIJson.Model)
    {
        if (!request.Streaming)
        {
            await JsonAsync(200, OpenAIJson.Completion(text, model));
            return;
        }

        await StartEventsAsync();
        await EventAsync(OpenAIJson.Chunk(text, model));
        await EventAsync(OpenAIJson.Finish("stop", model));
        await EventAsync(OpenAIJson.Usage(model));
        await EndEventsAsync();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
