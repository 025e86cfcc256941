using System.Text;
using System.Text.Json.Nodes;

namespace Flowline.Server;

/// <summary>
/// A <c>text/event-stream</c> response (the browser's EventSource): the live views push through it, so the page never
/// polls; the server follows the store and the log files instead, which is how runs of other processes show up live.
/// </summary>
internal sealed class ServerSentEvents
{
    private readonly HttpResponse _response;

    private ServerSentEvents(HttpResponse response) => _response = response;

    public static async Task<ServerSentEvents> StartAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        // No proxy buffering (nginx), so events arrive when they are sent.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return new ServerSentEvents(context.Response);
    }

    public async Task SendAsync(string name, JsonNode data, CancellationToken cancellationToken)
    {
        var text = $"event: {name}\ndata: {data.ToJsonString()}\n\n";
        await _response.WriteAsync(text, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
