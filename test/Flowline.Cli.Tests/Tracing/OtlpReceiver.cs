using System.Net;
using System.Net.Sockets;
using Google.Protobuf;

namespace Flowline.Cli.Tests.Tracing;

/// <summary>
/// A real OTLP/HTTP receiver on 127.0.0.1 for the tracing tests (issue 16): accepts <c>POST /v1/traces</c> in the
/// protobuf encoding and decodes the spans from the wire format with Google.Protobuf's reader, by the field numbers
/// of opentelemetry-proto's <c>trace.proto</c> (TracesData → ResourceSpans → ScopeSpans → Span).
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly Task _loop;

    public OtlpReceiver()
    {
        // A free port: bind one, release it, listen there (HttpListener cannot listen on port 0).
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _ = _loop.Exception;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                var decoded = Decode(body.ToArray());
                lock (_spans)
                {
                    _spans.AddRange(decoded);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static List<ReceivedSpan> Decode(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Messages(request, 1))
        {
            var service = Messages(resourceSpans, 1).SelectMany(r => Attributes(r, 1)).FirstOrDefault(a => a.Key == "service.name").Value;
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                foreach (var span in Messages(scopeSpans, 2))
                {
                    spans.Add(DecodeSpan(span, service));
                }
            }
        }

        return spans;
    }

    private static ReceivedSpan DecodeSpan(byte[] span, string? service)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var statusCode = 0;
        var statusMessage = "";
        var input = new CodedInputStream(span);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 5: name = input.ReadString(); break;
                case 15:
                    var status = input.ReadBytes().ToByteArray();
                    var statusInput = new CodedInputStream(status);
                    uint statusTag;
                    while ((statusTag = statusInput.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(statusTag))
                        {
                            case 2: statusMessage = statusInput.ReadString(); break;
                            case 3: statusCode = statusInput.ReadEnum(); break;
                            default: statusInput.SkipLastField(); break;
                        }
                    }

                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new ReceivedSpan(traceId, spanId, parent, name, Attributes(span, 9).ToDictionary(a => a.Key, a => a.Value), statusCode, statusMessage, service);
    }

    // KeyValue { key = 1; AnyValue value = 2 }, AnyValue { string = 1; bool = 2; int = 3; double = 4 }.
    private static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] message, int field)
    {
        foreach (var pair in Messages(message, field))
        {
            string key = "", value = "";
            var input = new CodedInputStream(pair);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == 1)
                {
                    key = input.ReadString();
                }
                else if (WireFormat.GetTagFieldNumber(tag) == 2)
                {
                    var any = new CodedInputStream(input.ReadBytes().ToByteArray());
                    var anyTag = any.ReadTag();
                    value = WireFormat.GetTagFieldNumber(anyTag) switch
                    {
                        1 => any.ReadString(),
                        2 => any.ReadBool() ? "true" : "false",
                        3 => any.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        4 => any.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => "",
                    };
                }
                else
                {
                    input.SkipLastField();
                }
            }

            yield return new KeyValuePair<string, string>(key, value);
        }
    }

    private static List<byte[]> Messages(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}

/// <summary>One span as the receiver decoded it; status code 2 is ERROR.</summary>
internal sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    IReadOnlyDictionary<string, string> Attributes,
    int StatusCode,
    string StatusMessage,
    string? ServiceName);
