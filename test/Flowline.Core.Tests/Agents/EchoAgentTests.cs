using System.Text.Json;
using Flowline.Core.Tests.Agents.Support;
using Flowline.Expressions;
using static Flowline.Core.Tests.Agents.Support.AgentHarness;

namespace Flowline.Core.Tests.Agents;

/// <summary>The spec's agent examples, run end to end with the <c>echo</c> provider.</summary>
public sealed class EchoAgentTests : IDisposable
{
    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task The_echo_agent_needs_no_definition_and_returns_the_rendered_prompt()
    {
        var workflow = Workflow(null, Step("hello", "echo", "Hello from {{ workflow.name }} run {{ run.id }} ({{ env.NODE_ENV }})"));

        var result = await _harness.RunAsync(workflow, "hello", environment: new Dictionary<string, string> { ["NODE_ENV"] = "production" });

        Assert.True(result.Success, result.Error);
        Assert.Equal("Hello from agent-tests run run-1 (production)", result.Output);
        Assert.Contains(("Hello from agent-tests run run-1 (production)", LogStream.Stdout), _harness.Logs);
        Assert.Equal("echo", result.Metadata["provider"]);
    }

    [Fact]
    public async Task The_specs_code_analysis_step_renders_variables_step_outputs_and_parameters()
    {
        var workflow = Workflow(
            AgentMap(("code-analyzer", Map(("provider", "echo")))),
            Step("code-analysis", "code-analyzer", """
                Analyze the codebase for potential issues.
                Build number: {{variables.buildNumber}}
                Previous results: {{steps.build-project.output}}
                Depth: {{ parameters.depth }}
                """,
                Map(("includeTests", true), ("outputFormat", "json"), ("depth", "full")),
                TimeSpan.FromMinutes(5)));
        var scope = new DictionaryScope(Map(
            ("variables", Map(("buildNumber", "123"))),
            ("steps", Map(("build-project", Map(("output", "build ok")))))));

        var result = await _harness.RunAsync(workflow, "code-analysis", scope: scope);

        Assert.True(result.Success, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal("Analyze the codebase for potential issues.\nBuild number: 123\nPrevious results: build ok\nDepth: full", output["prompt"]);
        Assert.Equal("Analyze the codebase for potential issues.", output["summary"]);
        var parameters = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(output["parameters"]);
        Assert.Equal(true, parameters["includeTests"]);
        Assert.Contains("parameter depth = full", _harness.LogLines);
    }

    [Fact]
    public async Task The_specs_full_example_runs_its_agent_steps_through_a_default_echo_agent()
    {
        // security-scanner, notification-sender and data-processor are never defined in the spec: they run as 'default'.
        var workflow = Workflow(
            AgentMap(("default", Map(("provider", "echo")))),
            Step("security-scan", "security-scanner", """
                Perform security analysis on the built application.
                Build output: {{steps.build.output}}
                """, Map(("scanDependencies", true), ("scanCode", true), ("outputFormat", "json"))),
            Step("notify-success", "notification-sender", """
                Deployment successful!
                Build: {{variables.buildNumber}}
                Security Scan: {{steps.security-scan.output.summary}}
                """, Map(("channel", "#deployments"), ("priority", "normal"))),
            Step("memory-task", "data-processor", "Process large dataset"));
        var steps = new Dictionary<string, object?> { ["build"] = Map(("output", "dist/app.js")) };
        DictionaryScope Scope() => new(Map(("variables", Map(("buildNumber", "123"))), ("steps", steps)));

        var scan = await _harness.RunAsync(workflow, "security-scan", scope: Scope());
        steps["security-scan"] = Map(("output", scan.Output));
        var notify = await _harness.RunAsync(workflow, "notify-success", scope: Scope());
        var memory = await _harness.RunAsync(workflow, "memory-task", scope: Scope());

        Assert.True(scan.Success, scan.Error);
        Assert.Equal("security-scanner", scan.Metadata["role"]);
        Assert.True(notify.Success, notify.Error);
        Assert.Equal("Deployment successful!\nBuild: 123\nSecurity Scan: Perform security analysis on the built application.", notify.Output);
        Assert.True(memory.Success, memory.Error);
        Assert.Equal("Process large dataset", memory.Output);
        Assert.Contains("agent notification-sender is not defined; running as 'default' (echo) with the role notification-sender", _harness.LogLines);
    }

    [Fact]
    public async Task An_undefined_agent_without_a_default_fails_with_a_yaml_snippet_that_defines_it()
    {
        var workflow = Workflow(null, Step("notify", "notification-sender", "Build failed"));

        var result = await _harness.RunAsync(workflow, "notify");

        Assert.False(result.Success);
        Assert.Contains("agent 'notification-sender' is not defined", result.Error, StringComparison.Ordinal);
        Assert.Contains("Defined agents: echo", result.Error, StringComparison.Ordinal);
        Assert.Contains("agents:\n  notification-sender:\n    provider: openai", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_that_reads_an_undefined_value_fails_the_step_with_the_template_message()
    {
        var workflow = Workflow(null, Step("x", "echo", "Target: {{ parameters.target }}"));

        var result = await _harness.RunAsync(workflow, "x");

        Assert.False(result.Success);
        Assert.Contains("the prompt of step 'x' cannot be rendered: parameters.target is not defined", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_can_be_templates_over_the_run_scope_and_agent_defaults_are_overridden_by_the_step()
    {
        var workflow = Workflow(
            AgentMap(("notifier", Map(("provider", "echo"), ("parameters", Map(("channel", "#general"), ("priority", "low")))))),
            Step("n", "notifier", "{{ parameters.channel }} {{ parameters.priority }}", Map(("priority", "{{ variables.level }}"))));

        var result = await _harness.RunAsync(workflow, "n", scope: new DictionaryScope(Map(("variables", Map(("level", "high"))))));

        Assert.True(result.Success, result.Error);
        Assert.Equal("#general high", result.Output);
    }

    [Fact]
    public void Echo_json_output_serializes_like_a_json_object()
    {
        var value = new Dictionary<string, object?> { ["summary"] = "s" };
        Assert.Equal("{\"summary\":\"s\"}", ValueFormatter.Render(value));
        Assert.Equal("s", JsonDocument.Parse(ValueFormatter.Render(value)).RootElement.GetProperty("summary").GetString());
    }
}
