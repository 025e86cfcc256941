using Flowline.Agents;
using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Loading;

/// <summary>
/// Issue 18: small files built to exhaust the loader (aliases that expand exponentially, nesting that costs quadratic
/// time) are located diagnostics, whichever of the three YAML files they are in.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    /// <summary>Nine lines, 9^9 nodes once expanded; the seventh line's first alias passes the budget.</summary>
    private static readonly string Bomb = string.Join('\n', new[] { "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]" }
        .Concat("abcdefgh".Zip("bcdefghi", (from, to) => $"{to}: &{to} [{string.Join(',', Enumerable.Repeat("*" + from, 9))}]"))) + "\n";

    private readonly TempFolder _folder = new("flowline-hostile-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_alias_bomb_in_a_variables_file_is_an_error_at_the_alias_that_passes_the_budget()
    {
        var path = _folder.Write("vars.yaml", Bomb);

        Assert.False(VariablesFile.TryLoad(path, out _, out var diagnostics));

        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.AliasExpansionTooLarge, error.Code);
        Assert.Equal(new SourceLocation(path, 7, 8), error.Location);
        Assert.Contains("'*f'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_in_an_agents_file_is_an_error_at_the_alias_that_passes_the_budget()
    {
        var workflow = _folder.Write("workflow.yaml", TempFolder.AgentWorkflow);
        var agentsFile = _folder.Write("flowline.agents.yaml", "reviewer:\n  provider: echo\n  x-bomb:\n" + Indent(Bomb, "    "));

        var result = WorkflowValidator.ValidateFile(workflow);

        var error = Assert.Single(result.Diagnostics, d => d.Location?.File == agentsFile);
        Assert.Equal(AgentCodes.InvalidAgentsFile, error.Code);
        Assert.Equal(new SourceLocation(agentsFile, 10, 12), error.Location);
        Assert.Contains("'*f' takes the file past 1,000,000 nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_aliases_in_each_file_still_load()
    {
        const string Shared = "base: &base { region: eu, hosts: [a, b] }\nlist: &list [*base, *base]\nboth: [*list, *list, *base]\n";
        var vars = _folder.Write("vars.yaml", Shared);
        var workflow = _folder.Write("workflow.yaml", TempFolder.AgentWorkflow + "\nmetadata:\n" + Indent(Shared, "  "));
        _folder.Write("flowline.agents.yaml", "reviewer:\n  provider: echo\n  x-shared:\n" + Indent(Shared, "    "));

        Assert.True(VariablesFile.TryLoad(vars, out var variables, out var diagnostics), string.Join('\n', diagnostics));
        Assert.Equal(3, ((object?[])variables["both"]!).Length);
        var result = WorkflowValidator.ValidateFile(workflow);
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Equal(3, ((object?[])result.Definition!.Metadata["both"]!).Length);
    }

    [Fact]
    public void A_file_nested_a_hundred_thousand_levels_deep_is_an_error_where_the_nesting_passes_the_limit()
    {
        const int Depth = 100_000;
        var text = "name: deep\nversion: 1.0.0\nmetadata:\n  x: " + new string('[', Depth) + new string(']', Depth) + "\n";

        var result = WorkflowLoader.Parse(text, "deep.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.WrongType, error.Code);
        // The mapping at the top and the one under 'metadata' are two levels, so the 3999th '[' is one too many.
        Assert.Equal(new SourceLocation("deep.yaml", 4, 5 + 3_999), error.Location);
        Assert.Contains("at most 4000 levels", error.Message, StringComparison.Ordinal);
    }

    private static string Indent(string text, string indent) =>
        string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => indent + line + "\n"));
}
