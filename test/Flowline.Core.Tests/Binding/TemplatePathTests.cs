using Flowline.Binding;
using Flowline.Core.Tests.Agents.Support;
using Flowline.Expressions;
using static Flowline.Core.Tests.Binding.BindingKit;

namespace Flowline.Core.Tests.Binding;

/// <summary>Issue 11: agent prompts and script fields take one template path, parsed once, with one error form.</summary>
public sealed class TemplatePathTests
{
    private const string BadTemplate = "Hi {{ variables.name";

    private const string Script = """
        name: script
        version: 1.0.0
        steps:
          - id: greet
            name: greet
            type: script
            config:
              command: printf
              args: ["Hi {{ variables.name"]
        """;

    private const string Agent = """
        name: agent
        version: 1.0.0
        steps:
          - id: ask
            name: ask
            type: agent
            config:
              agent: default
              prompt: "Hi {{ variables.name"
        """ + EchoAgents;

    [Fact]
    public async Task An_agent_prompt_with_a_bad_template_reports_the_same_column_and_form_as_a_script_argument()
    {
        var script = (await RunAsync(Script, Vars(("name", "Ada")))).Step("greet").Error!;
        var agent = (await RunAsync(Agent, Vars(("name", "Ada")))).Step("ask").Error!;

        Assert.StartsWith("config.args[0] is not a valid template: FL3006 at column 4: ", script, StringComparison.Ordinal);
        Assert.StartsWith("the prompt of step 'ask' is not a valid template: FL3006 at column 4: ", agent, StringComparison.Ordinal);
        Assert.Equal(After("is not a valid template: ", script), After("is not a valid template: ", agent));
        Assert.EndsWith(BadTemplate + "\n   ^", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_prompt_rendered_without_a_runner_reports_the_column_one_based_too()
    {
        using var harness = new AgentHarness();
        var workflow = AgentHarness.Workflow(null, AgentHarness.Step("x", "echo", BadTemplate));

        var result = await harness.RunAsync(workflow, "x");

        Assert.False(result.Success);
        Assert.StartsWith("the prompt of step 'x' is not a valid template: FL3006 at column 4: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_is_parsed_once_and_a_bounded_cache_still_renders_past_its_bound()
    {
        var cache = new TemplateCache(capacity: 1);
        var scope = new DictionaryScope(new Dictionary<string, object?> { ["variables"] = new Dictionary<string, object?> { ["a"] = "1", ["b"] = "2" } });

        Assert.True(cache.TryParse("{{ variables.a }}", out var first, out _));
        Assert.True(cache.TryParse("{{ variables.a }}", out var again, out _));
        Assert.Same(first, again);
        Assert.True(cache.TryRender("{{ variables.b }}", TemplateLabel.Field("b"), scope, TemplateRenderOptions.Default, out var text, out var error), error);
        Assert.Equal("2", text);
    }

    private static string After(string marker, string text) => text[(text.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
}
