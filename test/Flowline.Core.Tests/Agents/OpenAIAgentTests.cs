using System.Text.Json;
using Flowline.Core.Tests.Agents.Support;
using Flowline.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.Agents.Support.AgentHarness;

namespace Flowline.Core.Tests.Agents;

public sealed class OpenAIAgentTests : IDisposable
{
    private const string Key = "sk-test-7f3a9c1e5b2d4f6a8c0e";

    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Reviewer(
        FakeOpenAIServer server,
        params (string Key, object? Value)[] extra) =>
        AgentMap(("reviewer", Map([("provider", "openai"), ("model", "gpt-test"), ("baseUrl", server.BaseUrl), ("apiKeyEnv", "TEST_OPENAI_KEY"), .. extra])));

    private static Dictionary<string, string> KeyEnvironment() => new() { ["TEST_OPENAI_KEY"] = Key };

    [Fact]
    public async Task An_openai_agent_returns_the_answer_and_records_model_finish_reason_and_usage()
    {
        await using var server = new FakeOpenAIServer((request, response) => response.AnswerAsync(request, "Looks good."));
        var workflow = Workflow(
            Reviewer(server, ("system", "You review code for {{ parameters.team }}.")),
            Step("review", "reviewer", "Review build {{ env.BUILD }} at depth {{ parameters.depth }}",
                Map(("depth", "full"), ("team", "core"), ("temperature", 0.2), ("maxTokens", 100L))));

        var result = await _harness.RunAsync(workflow, "review", environment: new Dictionary<string, string>(KeyEnvironment()) { ["BUILD"] = "42" });

        Assert.True(result.Success, result.Error);
        Assert.Equal("Looks good.", result.Output);
        Assert.Equal(OpenAIJson.Model, result.Metadata["model"]);
        Assert.Equal("stop", result.Metadata["finishReason"]);
        Assert.Equal((long)OpenAIJson.PromptTokens, result.Metadata["inputTokens"]);
        Assert.Equal((long)OpenAIJson.CompletionTokens, result.Metadata["outputTokens"]);
        Assert.Equal((long)(OpenAIJson.PromptTokens + OpenAIJson.CompletionTokens), result.Metadata["totalTokens"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        var body = request.Json;
        Assert.Equal("gpt-test", body.GetProperty("model").GetString());
        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble(), 3);
        Assert.True(body.TryGetProperty("max_completion_tokens", out _) || body.TryGetProperty("max_tokens", out _));
        Assert.False(body.TryGetProperty("depth", out _));
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("You review code for core.", messages[0].GetProperty("content").GetString());
        Assert.Equal("Review build 42 at depth full", ContentText(messages[1]));
    }

    [Fact]
    public async Task The_response_streams_into_the_log_line_by_line_as_it_arrives()
    {
        var firstLineLogged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loggedBeforeTheEnd = false;
        await using var server = new FakeOpenAIServer(async (request, response) =>
        {
            await response.StartEventsAsync();
            await response.EventAsync(OpenAIJson.Chunk("first "));
            await response.EventAsync(OpenAIJson.Chunk("line\nsecond"));

            // The rest is sent only once the first line has reached the log: proof that it streams. (The bound
            // only keeps a broken implementation from hanging the test; it then fails the assertion below.)
            try
            {
                await firstLineLogged.Task.WaitAsync(TimeSpan.FromSeconds(30), response.Stopping);
                loggedBeforeTheEnd = true;
            }
            catch (TimeoutException)
            {
            }

            await response.EventAsync(OpenAIJson.Chunk(" line\nthird line"));
            await response.EventAsync(OpenAIJson.Finish("stop"));
            await response.EndEventsAsync();
        });
        var workflow = Workflow(Reviewer(server), Step("review", "reviewer", "Say three lines"));
        _harness.OnLog = line =>
        {
            if (line == "first line")
            {
                firstLineLogged.TrySetResult();
            }
        };

        var result = await _harness.RunAsync(workflow, "review", environment: KeyEnvironment());

        Assert.True(result.Success, result.Error);
        Assert.Equal("first line\nsecond line\nthird line", result.Output);
        var output = _harness.Logs.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Line).ToList();
        Assert.Equal(["first line", "second line", "third line"], output);
        Assert.True(loggedBeforeTheEnd);
    }

    [Fact]
    public async Task A_registered_chat_client_that_does_not_stream_gets_a_plain_json_response()
    {
        await using var server = new FakeOpenAIServer((request, response) => response.AnswerAsync(request, "plain answer"));
        using var openai = new OpenAI.Chat.ChatClient("gpt-plain", new System.ClientModel.ApiKeyCredential(Key),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl) }).AsIChatClient();
        _harness.Executor.RegisterChatClient("code-analyzer", new NonStreamingChatClient(openai));
        var workflow = Workflow(null, Step("analyze", "code-analyzer", "Analyze the code for potential issues."));

        var result = await _harness.RunAsync(workflow, "analyze");

        Assert.True(result.Success, result.Error);
        Assert.Equal("plain answer", result.Output);
        Assert.False(Assert.Single(server.Requests).Streaming);
        Assert.Equal("chat client 'code-analyzer'", result.Metadata["provider"]);
        Assert.Contains("plain answer", _harness.LogLines);
    }

    [Fact]
    public async Task A_tool_call_round_trip_reads_a_file_and_sends_its_text_back_to_the_model()
    {
        await File.WriteAllTextAsync(Path.Combine(_harness.WorkingDirectory, "notes.txt"), "the build uses net10.0");
        await using var server = new FakeOpenAIServer(async (request, response) =>
        {
            if (request.Index == 1)
            {
                Assert.Contains(request.Json.GetProperty("tools").EnumerateArray(),
                    t => t.GetProperty("function").GetProperty("name").GetString() == "read_file");
                await response.StartEventsAsync();
                await response.EventAsync(OpenAIJson.ToolCall("call_1", "read_file", """{"path":"notes.txt"}"""));
                await response.EventAsync(OpenAIJson.Finish("tool_calls"));
                await response.EndEventsAsync();
                return;
            }

            var toolMessage = request.Json.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
            Assert.Equal("call_1", toolMessage.GetProperty("tool_call_id").GetString());
            Assert.Contains("the build uses net10.0", ContentText(toolMessage), StringComparison.Ordinal);
            await response.AnswerAsync(request, "It targets net10.0.");
        });
        var workflow = Workflow(
            Reviewer(server, ("tools", new List<object?> { "read_file", "list_directory" })),
            Step("review", "reviewer", "Which framework does the build use?"));

        var result = await _harness.RunAsync(workflow, "review", environment: KeyEnvironment());

        Assert.Empty(server.Failures);
        Assert.True(result.Success, result.Error);
        Assert.Equal("It targets net10.0.", result.Output);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(1, result.Metadata["toolCalls"]);
        Assert.Contains(_harness.LogLines, l => l.StartsWith("tool read_file(\"notes.txt\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_retry_after_delay_and_the_attempts_are_logged()
    {
        await using var server = new FakeOpenAIServer((request, response) => request.Index == 1
            ? response.JsonAsync(429, OpenAIJson.Error("Rate limit reached", "rate_limit_error"), ("Retry-After", "2"))
            : response.AnswerAsync(request, "after the wait"));
        var clock = new ImmediateTimeProvider();
        var workflow = Workflow(Reviewer(server), Step("review", "reviewer", "hello"));

        var result = await _harness.RunAsync(workflow, "review", clock, KeyEnvironment());

        Assert.True(result.Success, result.Error);
        Assert.Equal("after the wait", result.Output);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.Delays);
        Assert.Contains("attempt 1 of 4 failed (HTTP 429); retrying in 2s (Retry-After)", _harness.LogLines);
    }

    [Fact]
    public async Task A_500_forever_fails_after_four_attempts_with_a_clear_message()
    {
        await using var server = new FakeOpenAIServer((request, response) =>
            response.JsonAsync(500, OpenAIJson.Error("The server had an error while processing your request.")));
        var clock = new ImmediateTimeProvider();
        var workflow = Workflow(Reviewer(server), Step("review", "reviewer", "hello"));

        var result = await _harness.RunAsync(workflow, "review", clock, KeyEnvironment());

        Assert.False(result.Success);
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(
            "agent 'reviewer' (openai at " + server.BaseUrl + ") failed: still failing after 4 attempts: " +
            "HTTP 500 Internal Server Error: The server had an error while processing your request. (server_error)",
            result.Error);
        Assert.Equal(3, clock.Delays.Count);
        Assert.All(clock.Delays.Zip([1.0, 2.0, 4.0]), d => Assert.InRange(d.First.TotalSeconds, d.Second / 2, d.Second));
        Assert.Contains("attempt 4 of 4 failed (HTTP 500); giving up", _harness.LogLines);
        Assert.Equal(4, result.Metadata["attempts"]);
    }

    [Fact]
    public async Task A_connection_reset_is_retried()
    {
        await using var server = new FakeOpenAIServer((request, response) =>
        {
            if (request.Index == 1)
            {
                response.Reset();
                return Task.CompletedTask;
            }

            return response.AnswerAsync(request, "second time lucky");
        });
        var workflow = Workflow(Reviewer(server), Step("review", "reviewer", "hello"));

        var result = await _harness.RunAsync(workflow, "review", new ImmediateTimeProvider(), KeyEnvironment());

        Assert.True(result.Success, result.Error);
        Assert.Equal("second time lucky", result.Output);
        Assert.Contains(_harness.LogLines, l => l.StartsWith("attempt 1 of 4 failed (connection failed)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_error_fails_at_once_with_the_providers_message()
    {
        await using var server = new FakeOpenAIServer((request, response) =>
            response.JsonAsync(400, OpenAIJson.Error("The model 'gpt-test' does not exist", "invalid_request_error")));
        var workflow = Workflow(Reviewer(server), Step("review", "reviewer", "hello"));

        var result = await _harness.RunAsync(workflow, "review", new ImmediateTimeProvider(), KeyEnvironment());

        Assert.False(result.Success);
        Assert.Single(server.Requests);
        Assert.Contains("The model 'gpt-test' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_slower_than_the_step_timeout_is_cancelled_and_the_step_fails_as_timed_out()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeOpenAIServer(async (request, response) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, response.Stopping);
        });
        var clock = new FakeTimeProvider();
        var workflow = Workflow(Reviewer(server), Step("review", "reviewer", "take your time", timeout: TimeSpan.FromSeconds(30)));

        var run = _harness.RunAsync(workflow, "review", clock, KeyEnvironment());
        await arrived.Task;
        clock.Advance(TimeSpan.FromSeconds(31));
        var result = await run;

        Assert.False(result.Success);
        Assert.Contains("agent 'reviewer'", result.Error, StringComparison.Ordinal);
        Assert.Contains("timed out after 30s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_response_becomes_an_object_whose_fields_later_steps_read()
    {
        await using var server = new FakeOpenAIServer((request, response) =>
            response.AnswerAsync(request, "```json\n{\"summary\": \"2 medium findings\", \"count\": 2}\n```"));
        var workflow = Workflow(Reviewer(server),
            Step("security-scan", "reviewer", "Scan", Map(("scanDependencies", true), ("outputFormat", "json"))));

        var result = await _harness.RunAsync(workflow, "security-scan", environment: KeyEnvironment());

        Assert.True(result.Success, result.Error);
        Assert.Equal("json_object", Assert.Single(server.Requests).Json.GetProperty("response_format").GetProperty("type").GetString());
        var output = Assert.IsType<JsonElement>(result.Output);
        Assert.Equal(2, output.GetProperty("count").GetInt32());

        var later = new DictionaryScope(Map(("steps", Map(("security-scan", Map(("output", result.Output)))))));
        Assert.True(Template.TryParse("Security Scan: {{steps.security-scan.output.summary}}", out var template, out _));
        Assert.True(template.TryRender(later, null, out var text, out var error), error);
        Assert.Equal("Security Scan: 2 medium findings", text);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_token_and_never_appears_in_logs_results_or_errors()
    {
        await using var server = new FakeOpenAIServer((request, response) =>
        {
            Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);

            // A hostile or careless server echoes the key back; Flowline must still not show it.
            return request.Index == 1
                ? response.AnswerAsync(request, "fine")
                : response.JsonAsync(401, OpenAIJson.Error($"Incorrect API key provided: {Key}.", "invalid_request_error"));
        });
        var workflow = Workflow(Reviewer(server), Step("one", "reviewer", "hello"), Step("two", "reviewer", "again"));

        var ok = await _harness.RunAsync(workflow, "one", environment: KeyEnvironment());
        var failed = await _harness.RunAsync(workflow, "two", environment: KeyEnvironment());

        Assert.Empty(server.Failures);
        Assert.True(ok.Success, ok.Error);
        Assert.False(failed.Success);
        Assert.Contains("Incorrect API key provided: ***", failed.Error, StringComparison.Ordinal);
        foreach (var result in new[] { ok, failed })
        {
            var shown = _harness.EverythingShown(result);
            Assert.DoesNotContain(Key, shown, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer", shown, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_missing_api_key_variable_fails_the_step_naming_the_variable()
    {
        var workflow = Workflow(
            AgentMap(("reviewer", Map(("provider", "openai"), ("model", "gpt-test"), ("baseUrl", "http://127.0.0.1:9/v1"), ("apiKeyEnv", "NOT_SET_ANYWHERE")))),
            Step("review", "reviewer", "hello"));

        var result = await _harness.RunAsync(workflow, "review");

        Assert.False(result.Success);
        Assert.Contains("NOT_SET_ANYWHERE, which is not set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undefined_agent_runs_as_the_default_agent_with_its_name_as_the_role()
    {
        await using var server = new FakeOpenAIServer((request, response) => response.AnswerAsync(request, "scanned"));
        var workflow = Workflow(
            AgentMap(("default", Map(("provider", "openai"), ("model", "gpt-test"), ("baseUrl", server.BaseUrl), ("system", "Be brief.")))),
            Step("scan", "security-scanner", "Perform security analysis"));

        var result = await _harness.RunAsync(workflow, "scan");

        Assert.True(result.Success, result.Error);
        Assert.Equal("security-scanner", result.Metadata["role"]);
        var system = Assert.Single(server.Requests).Json.GetProperty("messages")[0].GetProperty("content").GetString();
        Assert.Equal("You are acting as the 'security-scanner' agent of the workflow 'agent-tests'.\n\nBe brief.", system);
    }

    private static string ContentText(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    /// <summary>A chat client that only answers whole responses, as some providers do.</summary>
    private sealed class NonStreamingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }
    }
}
