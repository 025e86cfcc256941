using Flowline.Core.Tests.Agents.Support;
using static Flowline.Core.Tests.Agents.Support.AgentHarness;

namespace Flowline.Core.Tests.Agents;

/// <summary>A model endpoint that answers, but not with a chat completion, fails the step (issue 18).</summary>
public sealed class BrokenEndpointTests : IDisposable
{
    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<(StepExecutionResult Result, Endpoint Server)> RunAgainstAsync(Func<RecordedRequest, ResponseWriter, Task> script)
    {
        await using var server = new FakeOpenAIServer(script);
        var workflow = Workflow(
            AgentMap(("reviewer", Map(("provider", "openai"), ("model", "gpt-test"), ("baseUrl", server.BaseUrl)))),
            Step("review", "reviewer", "hello"));
        var result = await _harness.RunAsync(workflow, "review", new ImmediateTimeProvider());
        return (result, new Endpoint(server.BaseUrl, [.. server.Requests]));
    }

    private static string Failed(Endpoint server) => $"agent 'reviewer' (openai at {server.BaseUrl}) failed: ";

    [Fact]
    public async Task An_http_200_whose_body_is_not_json_fails_the_step_quoting_the_body()
    {
        var (result, server) = await RunAgainstAsync((request, response) => response.JsonAsync(200, "this is { not json"));

        Assert.False(result.Success);
        Assert.Equal(
            Failed(server) + "the endpoint answered a streaming request with HTTP 200, Content-Type application/json: a body that is " +
            "neither an event stream nor a chat completion. The body begins: this is { not json. Check that baseUrl is the API root " +
            "of an OpenAI-compatible server (Flowline posts to baseUrl + /chat/completions)",
            result.Error);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_html_page_answering_with_200_fails_the_step()
    {
        var (result, server) = await RunAgainstAsync((request, response) =>
            response.BodyAsync(200, "text/html; charset=utf-8", "<html><body>Welcome to the model UI</body></html>"));

        Assert.False(result.Success);
        Assert.Contains("Content-Type text/html; charset=utf-8: a body that is neither an event stream nor a chat completion", result.Error, StringComparison.Ordinal);
        Assert.Contains("Welcome to the model UI", result.Error, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_whole_json_completion_answering_a_streaming_request_fails_saying_the_server_does_not_stream()
    {
        var (result, server) = await RunAgainstAsync((request, response) => response.JsonAsync(200, OpenAIJson.Completion("a whole answer")));

        Assert.True(Assert.Single(server.Requests).Streaming);
        Assert.False(result.Success);
        Assert.StartsWith(
            Failed(server) + "the endpoint answered a streaming request with HTTP 200, Content-Type application/json: a whole chat " +
            "completion instead of an event stream: the server ignored \"stream\": true, and Flowline reads every answer as a stream. " +
            "The body begins: {\"id\":\"chatcmpl-1\"",
            result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_event_that_is_not_json_fails_saying_the_answer_cannot_be_read()
    {
        var (result, server) = await RunAgainstAsync(async (request, response) =>
        {
            await response.StartEventsAsync();
            await response.EventAsync("{oops");
        });

        Assert.False(result.Success);
        Assert.StartsWith(Failed(server) + "the answer could not be read as an OpenAI chat completion: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stream_that_ends_with_no_text_and_no_finish_reason_fails_as_an_empty_answer(bool done)
    {
        var (result, server) = await RunAgainstAsync((request, response) => response.EmptyEventsAsync(done));

        Assert.False(result.Success);
        Assert.Equal(
            $"agent 'reviewer' (openai at {server.BaseUrl}) sent no answer: the stream ended with no text and no finish reason " +
            "(an empty or cut-off event stream). Check that the endpoint is an OpenAI-compatible chat-completions server and that " +
            "it serves the model gpt-test",
            result.Error);
        Assert.Null(result.Metadata["finishReason"]);
        Assert.Equal(1, result.Metadata["requests"]);
    }

    [Fact]
    public async Task A_stream_cut_off_after_some_text_keeps_the_text_and_logs_that_it_may_be_cut_short()
    {
        var (result, _) = await RunAgainstAsync(async (request, response) =>
        {
            await response.StartEventsAsync();
            await response.EventAsync(OpenAIJson.Chunk("half an ans"));
        });

        Assert.True(result.Success, result.Error);
        Assert.Equal("half an ans", result.Output);
        Assert.Contains("the stream ended without a finish reason: the answer may be cut short", _harness.LogLines);
    }

    [Fact]
    public async Task An_empty_answer_with_a_finish_reason_is_still_an_answer()
    {
        var (result, _) = await RunAgainstAsync((request, response) => response.AnswerAsync(request, ""));

        Assert.True(result.Success, result.Error);
        Assert.Equal("", result.Output);
        Assert.Equal("stop", result.Metadata["finishReason"]);
    }

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>", "<html><body>Bad gateway</body></html>")]
    [InlineData("{\"error\": {\"message\": \"boom\"}}", "boom")]
    [InlineData("{\"error\": {\"message\": \"no such model\", \"type\": \"invalid_request_error\", \"code\": \"model_not_found\"}}", "no such model (invalid_request_error, model_not_found)")]
    [InlineData("", "(empty body)")]
    public async Task An_http_error_names_the_status_its_reason_and_the_body(string body, string said)
    {
        var (result, server) = await RunAgainstAsync((request, response) => response.BodyAsync(400, "text/html", body));

        Assert.False(result.Success);
        Assert.Equal(Failed(server) + "HTTP 400 Bad Request: " + said, result.Error);
    }

    [Fact]
    public async Task A_long_error_body_is_cut_on_one_line()
    {
        var body = "<html>\n  <body>" + new string('x', 1000) + "</body>\n</html>";
        var (result, server) = await RunAgainstAsync((request, response) => response.BodyAsync(400, "text/html", body));

        Assert.Equal(Failed(server) + "HTTP 400 Bad Request: <html> <body>" + new string('x', 300 - "<html> <body>".Length) + "…", result.Error);
    }

    /// <summary>What a test reads of the server once it has stopped.</summary>
    private sealed record Endpoint(string BaseUrl, IReadOnlyList<RecordedRequest> Requests);
}
