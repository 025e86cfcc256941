using Flowline.Core.Tests.Agents.Support;
using Flowline.Testing;
using Microsoft.Extensions.AI;
using static Flowline.Core.Tests.Agents.Support.AgentHarness;

namespace Flowline.Core.Tests.Agents;

public sealed class RegisteredChatClientTests : IDisposable
{
    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_chat_client_registered_under_an_agent_name_runs_that_agent_with_mapped_parameters()
    {
        using var fake = new FakeChatClient("No issues found.");
        _harness.Executor.RegisterChatClient("code-analyzer", fake);
        var workflow = Workflow(null, Step("code-analysis", "code-analyzer", "Analyze at depth {{ parameters.depth }}",
            Map(("depth", "full"), ("model", "big-model"), ("temperature", 0.3), ("topP", 0.9), ("maxTokens", 256L), ("stop", "END"))));

        var result = await _harness.RunAsync(workflow, "code-analysis");

        Assert.True(result.Success, result.Error);
        Assert.Equal("No issues found.", result.Output);
        var request = Assert.Single(fake.Requests);
        Assert.Equal("Analyze at depth full", request.Prompt);
        Assert.Null(request.System);
        Assert.Equal("big-model", request.Options?.ModelId);
        Assert.Equal(0.3f, request.Options?.Temperature);
        Assert.Equal(0.9f, request.Options?.TopP);
        Assert.Equal(256, request.Options?.MaxOutputTokens);
        Assert.Equal(["END"], request.Options?.StopSequences);
        Assert.Equal("big-model", result.Metadata["model"]);
        Assert.Equal(3L, result.Metadata["outputTokens"]);
        Assert.Contains(("No issues found.", LogStream.Stdout), _harness.Logs);
    }

    [Fact]
    public async Task A_chat_client_registered_under_a_provider_name_serves_every_agent_of_that_provider()
    {
        using var fake = new FakeChatClient(request => $"[{request.System}] {request.Prompt}");
        _harness.Executor.RegisterChatClient("in-house", fake);
        var workflow = Workflow(
            AgentMap(("writer", Map(("provider", "in-house"), ("model", "m1"), ("system", "Write for {{ agent.name }}.")))),
            Step("w", "writer", "hello"));

        var result = await _harness.RunAsync(workflow, "w");

        Assert.True(result.Success, result.Error);
        Assert.Equal("[Write for writer.] hello", result.Output);
        Assert.Equal("m1", Assert.Single(fake.Requests).Options?.ModelId);
        Assert.Equal("chat client 'in-house'", result.Metadata["provider"]);
    }

    [Fact]
    public async Task A_parameter_that_renders_to_a_wrong_value_fails_the_step_before_any_request()
    {
        using var fake = new FakeChatClient("never");
        _harness.Executor.RegisterChatClient("a", fake);
        var workflow = Workflow(null, Step("s", "a", "hi", Map(("outputFormat", "yaml"))));

        var result = await _harness.RunAsync(workflow, "s");

        Assert.False(result.Success);
        Assert.Equal("agent 'a': parameter 'outputFormat' is 'yaml', but must be json or text", result.Error);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_provider_that_throws_fails_the_step_with_its_message()
    {
        using var fake = new FakeChatClient(_ => throw new InvalidOperationException("model overloaded, try later"));
        _harness.Executor.RegisterChatClient("a", fake);
        var workflow = Workflow(null, Step("s", "a", "hi"));

        var result = await _harness.RunAsync(workflow, "s");

        Assert.False(result.Success);
        Assert.Equal("agent 'a' (chat client 'a') failed: model overloaded, try later", result.Error);
    }

    [Fact]
    public async Task Cancellation_by_the_runner_is_not_turned_into_a_failure()
    {
        using var fake = new FakeChatClient("x");
        _harness.Executor.RegisterChatClient("a", fake);
        var workflow = Workflow(null, Step("s", "a", "hi"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.RunAsync(workflow, "s", cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task The_fake_chat_client_answers_in_order_and_repeats_its_last_answer()
    {
        using var fake = new FakeChatClient("one", "two");
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await fake.GetResponseAsync("q")).Text);
        }

        Assert.Equal(["one", "two", "two"], answers);
    }
}
