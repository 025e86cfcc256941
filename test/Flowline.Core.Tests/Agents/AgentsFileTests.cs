using Flowline.Agents;
using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Agents;

/// <summary>
/// Issue 11: an agents file goes through the workflow loader's YAML pipeline, so a malformed one is a diagnostic
/// with its file, line, column and the agents-file code, never an exception.
/// </summary>
public sealed class AgentsFileTests : IDisposable
{
    private readonly TempFolder _folder = new("flowline-agents-file-");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, int, int, string> Malformed() => new()
    {
        // The agents file's own reader threw InvalidOperationException on this one, crashing `flowline validate`.
        { "agents:\n  reviewer: [\n    provider\n  other: x\n", 2, 13, "unclosed '['" },
        { "agents:\n  reviewer: { provider: echo, args: [a, b\n", 3, 1, "did not find expected ',' or ']'" },
        { "agents:\n  reviewer:\n\tprovider: echo\n", 3, 1, "a tab is used for indentation" },
        { "agents:\n  reviewer:\n    provider: echo\n    provider: openai\n", 4, 5, "The key 'provider' appears twice" },
        { "agents:\n  reviewer:\n    provider: echo\n---\nagents: {}\n", 4, 1, "more than one YAML document" },
        { "agents:\n  reviewer: *nowhere\n", 2, 13, "refers to no anchor" },
        { "agents:\n  reviewer:\n    x: " + new string('[', 2_000) + "\n", 4, 1, "did not find expected node content" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_agents_file_is_an_FL4011_error_at_its_line_and_column(string agents, int line, int column, string message)
    {
        var workflow = _folder.Write("workflow.yaml", TempFolder.AgentWorkflow);
        var agentsFile = _folder.Write("flowline.agents.yaml", agents);

        var result = WorkflowValidator.ValidateFile(workflow);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Diagnostics, d => d.Location?.File == agentsFile);
        Assert.Equal((AgentCodes.InvalidAgentsFile, DiagnosticSeverity.Error), (error.Code, error.Severity));
        Assert.Equal(new SourceLocation(agentsFile, line, column), error.Location);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_in_an_agents_file_are_typed_like_the_workflow_loaders_and_keep_their_positions()
    {
        var workflow = _folder.Write("workflow.yaml", TempFolder.AgentWorkflow);
        var agentsFile = _folder.Write("flowline.agents.yaml", "reviewer:\n  provider: echo\n  retries: 0x10\n  label: '42'\n  yes: yes\n");

        var catalog = AgentCatalog.Load(WorkflowLoader.LoadFile(workflow).Definition!, new() { UseUserConfig = false });

        Assert.DoesNotContain(catalog.Diagnostics, d => d.IsError);
        var reviewer = catalog.Resolve("reviewer")!.Agent;
        Assert.Equal(16L, reviewer.Settings["retries"]);
        Assert.Equal("42", reviewer.Settings["label"]);
        Assert.Equal("yes", reviewer.Settings["yes"]);
        Assert.Equal(new SourceLocation(agentsFile, 4, 10), reviewer.Origin.Locate("/label"));
        Assert.Equal(new SourceLocation(agentsFile, 5, 3), reviewer.Origin.Locate("/yes#key"));
    }
}
