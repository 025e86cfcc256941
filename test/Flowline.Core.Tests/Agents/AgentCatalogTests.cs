using Flowline.Agents;
using Flowline.Core.Tests.Agents.Support;
using Microsoft.Extensions.AI;
using static Flowline.Core.Tests.Agents.Support.AgentHarness;

namespace Flowline.Core.Tests.Agents;

public sealed class AgentCatalogTests : IDisposable
{
    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private AgentCatalog Load(WorkflowDefinition workflow, string? userFile = null) =>
        AgentCatalog.Load(workflow, new AgentCatalogOptions
        {
            WorkflowDirectory = _harness.WorkingDirectory,
            UserConfigPath = userFile,
            UseUserConfig = userFile is not null,
        });

    private static WorkflowDefinition WithSource(WorkflowDefinition workflow, params (string Pointer, int Line)[] locations) =>
        workflow with
        {
            Source = new WorkflowSource("workflow.yaml", "0",
                locations.ToDictionary(l => l.Pointer, l => new SourceLocation("workflow.yaml", l.Line, 5), StringComparer.Ordinal)),
        };

    [Fact]
    public void The_workflows_entries_win_over_the_file_next_to_it_which_wins_over_the_users_file()
    {
        var userFile = Path.Combine(_harness.WorkingDirectory, "user-agents.yaml");
        File.WriteAllText(userFile, """
            agents:
              a: { provider: echo, system: from the user file }
              b: { provider: echo, system: from the user file }
              c: { provider: echo, system: from the user file }
            """);
        File.WriteAllText(Path.Combine(_harness.WorkingDirectory, "flowline.agents.yaml"), """
            b: { provider: echo, system: from the workflow's folder }
            c: { provider: echo, system: from the workflow's folder }
            """);
        var workflow = Workflow(AgentMap(("c", Map(("provider", "echo"), ("system", "from the workflow")))));

        var catalog = Load(workflow, userFile);

        Assert.Empty(catalog.Diagnostics);
        Assert.Equal(["a", "b", "c", "echo"], catalog.DefinedNames);
        Assert.Equal("from the user file", catalog.Resolve("a")!.Agent.System);
        Assert.Equal("from the workflow's folder", catalog.Resolve("b")!.Agent.System);
        Assert.Equal("from the workflow", catalog.Resolve("c")!.Agent.System);
    }

    [Fact]
    public void A_literal_api_key_in_the_workflow_is_an_error_that_points_at_it_and_never_quotes_it()
    {
        var workflow = WithSource(
            Workflow(AgentMap(("bad", Map(("provider", "openai"), ("model", "m"), ("apiKey", "sk-live-DO-NOT-SHOW"))))),
            ("/agents/bad/apiKey#key", 7));

        var diagnostic = Assert.Single(Load(workflow).Diagnostics);

        Assert.Equal("FL4004", diagnostic.Code);
        Assert.True(diagnostic.IsError);
        Assert.Equal(new SourceLocation("workflow.yaml", 7, 5), diagnostic.Location);
        Assert.Contains("apiKeyEnv", diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_key_pasted_into_api_key_env_is_an_error_that_never_quotes_it()
    {
        var file = Path.Combine(_harness.WorkingDirectory, "flowline.agents.yaml");
        File.WriteAllText(file, "agents:\n  bad:\n    provider: openai\n    model: m\n    apiKeyEnv: sk-proj-abc123-secret\n");

        var diagnostic = Assert.Single(Load(Workflow(null)).Diagnostics);

        Assert.Equal("FL4004", diagnostic.Code);
        Assert.Equal(new SourceLocation(file, 5, 16), diagnostic.Location);
        Assert.DoesNotContain("sk-proj", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_specs_undefined_agents_are_warnings_that_list_the_defined_agents()
    {
        var workflow = WithSource(
            Workflow(AgentMap(("reviewer", Map(("provider", "echo")))),
                Step("code-analysis", "code-analyzer", "Analyze"),
                Step("security-scan", "security-scanner", "Scan"),
                Step("review", "reviewer", "Review")) with { },
            ("/steps/0/config/agent", 12));
        workflow = workflow with { Steps = [workflow.Steps[0] with { SourcePath = "/steps/0" }, .. workflow.Steps.Skip(1)] };

        var diagnostics = _harness.Executor.Validate(workflow);

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal(("FL4001", DiagnosticSeverity.Warning), (d.Code, d.Severity)));
        Assert.Contains("agent 'code-analyzer' is not defined", diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("Defined agents: echo, reviewer", diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(12, diagnostics[0].Location?.Line);
        Assert.Equal("security-scan", diagnostics[1].StepId);
    }

    [Fact]
    public void With_a_default_agent_an_undefined_name_is_a_warning_that_it_runs_as_default()
    {
        var workflow = Workflow(AgentMap(("default", Map(("provider", "echo")))), Step("notify", "notification-sender", "hi"));

        var diagnostic = Assert.Single(_harness.Executor.Validate(workflow));

        Assert.Equal("FL4002", diagnostic.Code);
        Assert.Contains("will run as the 'default' agent with the role 'notification-sender'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registered_chat_client_name_is_a_defined_agent_and_a_provider()
    {
        using var client = new EmptyChatClient();
        _harness.Executor.RegisterChatClient("code-analyzer", client);
        _harness.Executor.RegisterChatClient("my-llm", client);
        var workflow = Workflow(AgentMap(("reviewer", Map(("provider", "my-llm"), ("model", "x"), ("tools", new List<object?> { "read_file" })))),
            Step("a", "code-analyzer", "hi"), Step("b", "reviewer", "hi"));

        Assert.Empty(_harness.Executor.Validate(workflow));
    }

    [Theory]
    [InlineData("provider: opnai\nmodel: m", "FL4003", "did you mean 'openai'?")]
    [InlineData("model: m", "FL4003", "has no provider")]
    [InlineData("provider: openai", "FL4005", "has no model")]
    [InlineData("provider: openai\nmodel: m\nbaseUrl: localhost:11434", "FL4006", "absolute http(s) URL")]
    [InlineData("provider: command", "FL4007", "needs 'command:'")]
    [InlineData("provider: command\ncommand: gemini\nargs: -p", "FL4007", "args must be a list")]
    [InlineData("provider: openai\nmodel: m\ntools: [read_file, write_file]", "FL4008", "unknown tool 'write_file'")]
    [InlineData("provider: command\ncommand: x\ntools: [read_file]", "FL4008", "tools work only with chat providers")]
    [InlineData("provider: echo\nsystem: [a]", "FL4009", "'system' must be text")]
    [InlineData("provider: openai\nmodel: m\nbaseurl: http://x", "FL4010", "did you mean 'baseUrl'?")]
    [InlineData("provider: openai\nmodel: m\nparameters: { temperature: hot }", "FL4012", "parameter 'temperature' is 'hot'")]
    public void A_faulty_agent_definition_gets_a_diagnostic_that_says_how_to_fix_it(string yaml, string code, string message)
    {
        var indented = string.Join('\n', yaml.Split('\n').Select(l => "    " + l));
        File.WriteAllText(Path.Combine(_harness.WorkingDirectory, "flowline.agents.yaml"), "agents:\n  broken:\n" + indented + "\n");

        var diagnostics = Load(Workflow(null)).Diagnostics;

        var diagnostic = Assert.Single(diagnostics, d => d.Code == code);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.NotNull(diagnostic.Location);
    }

    [Fact]
    public void An_agents_file_that_is_not_yaml_is_an_error_with_its_line()
    {
        var file = Path.Combine(_harness.WorkingDirectory, "flowline.agents.yaml");
        File.WriteAllText(file, "agents:\n  a:\n    provider: echo\n  b: [unclosed\n");

        var diagnostic = Assert.Single(Load(Workflow(null)).Diagnostics);

        Assert.Equal("FL4011", diagnostic.Code);
        Assert.Equal(file, diagnostic.Location?.File);
        Assert.True(diagnostic.Location?.Line >= 4);
    }

    [Fact]
    public void A_step_parameter_of_the_wrong_type_is_an_error_and_templates_are_left_for_run_time()
    {
        var bad = Step("s", "echo", "hi", Map(("temperature", "hot"), ("maxTokens", "{{ variables.max }}")));
        var good = Step("t", "echo", "hi", Map(("temperature", 0.5), ("outputFormat", "json"), ("depth", "anything")));

        var diagnostic = Assert.Single(_harness.Executor.Validate(bad));

        Assert.Equal("FL4012", diagnostic.Code);
        Assert.Equal("step 's': parameter 'temperature' is 'hot', but must be a number from 0 to 2", diagnostic.Message);
        Assert.Empty(_harness.Executor.Validate(good));
    }

    [Fact]
    public async Task An_agent_with_an_invalid_definition_fails_its_step_with_the_diagnostic()
    {
        var workflow = Workflow(AgentMap(("bad", Map(("provider", "openai"), ("model", "m"), ("token", "abcd-secret")))), Step("s", "bad", "hi"));

        var result = await _harness.RunAsync(workflow, "s");

        Assert.False(result.Success);
        Assert.Contains("agent 'bad' is not valid: error FL4004", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("abcd-secret", result.Error, StringComparison.Ordinal);
    }

    private sealed class EmptyChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            AsyncEnumerable.Empty<ChatResponseUpdate>();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
