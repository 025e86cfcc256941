using System.Text.Json;
using Flowline.Testing;

namespace Flowline.Core.Tests.Reporting;

public sealed class TokenUsageReportTests
{
    private const string Yaml = """
        name: Tokens
        version: 1.0.0
        steps:
          - id: analyze
            name: Analyze
            type: agent
            config: { agent: code-analyzer, prompt: "Analyze" }
          - id: summarize
            name: Summarize
            type: agent
            config: { agent: code-analyzer, prompt: "Summarize {{ steps.analyze.output }}" }
          - id: build
            name: Build
            type: script
            config: { command: "true" }
        """;

    [Fact]
    public async Task Reports_sum_the_token_usage_of_agent_steps()
    {
        // The fake answers with 10 input tokens and one output token per word.
        using var model = new FakeChatClient("one two three", "four five");
        var runner = new WorkflowRunner();
        runner.RegisterChatClient("code-analyzer", model);
        var definition = WorkflowLoader.Parse(Yaml, "tokens.yaml").Definition!;

        var result = await runner.ExecuteAsync(definition, new ExecutionOptions { WorkingDirectory = Path.GetTempPath() });

        Assert.True(result.Success, result.Error);
        Assert.Contains("Tokens: 20 in, 5 out, 25 total (2 agent steps)\n", runner.GenerateSummaryReport(definition, result), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(runner.GenerateDetailedReport(definition, result));
        var usage = json.RootElement.GetProperty("tokenUsage");
        Assert.Equal(20, usage.GetProperty("inputTokens").GetInt64());
        Assert.Equal(5, usage.GetProperty("outputTokens").GetInt64());
        Assert.Equal(25, usage.GetProperty("totalTokens").GetInt64());
        Assert.Equal(2, usage.GetProperty("agentSteps").GetInt32());
    }

    [Fact]
    public async Task A_run_without_agent_steps_has_zero_usage_and_no_tokens_line()
    {
        var runner = new WorkflowRunner();
        var definition = WorkflowLoader.Parse(Yaml.Split("  - id: analyze")[0] + """
              - id: build
                name: Build
                type: script
                config: { command: "true" }
            """, "plain.yaml").Definition!;

        var result = await runner.ExecuteAsync(definition, new ExecutionOptions { WorkingDirectory = Path.GetTempPath() });

        Assert.True(result.Success, result.Error);
        Assert.DoesNotContain("Tokens:", runner.GenerateSummaryReport(definition, result), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(runner.GenerateDetailedReport(definition, result));
        Assert.Equal(0, json.RootElement.GetProperty("tokenUsage").GetProperty("totalTokens").GetInt64());
    }
}
