using System.Text;
using Flowline.Agents;
using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Loading;

/// <summary>
/// Issue 18: bytes that are not text (a NUL, an invalid UTF-8 sequence) are FL1011 at their line and column in each of
/// the three YAML files, instead of an "empty" file or a U+FFFD in a name. Data/invalid holds a NUL in a step's name
/// and Latin-1 in an argument.
/// </summary>
public sealed class SourceTextTests : IDisposable
{
    private readonly TempFolder _folder = new("flowline-text-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_workflow_file_of_NUL_bytes_is_an_error_at_its_first_byte_not_an_empty_file()
    {
        var path = _folder.Write("zeros.yaml", new byte[4096]);

        var result = WorkflowLoader.LoadFile(path);

        Assert.Null(result.Definition);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.NotText, error.Code);
        Assert.Equal(new SourceLocation(path, 1, 1), error.Location);
        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NUL_in_text_given_to_the_loader_is_an_error_where_it_is()
    {
        var result = WorkflowLoader.Parse("name: a\r\nversion: 1.0.0\r\nsteps:\r\n  - id: b\0c\r\n", "memory.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.NotText, error.Code);
        Assert.Equal(new SourceLocation("memory.yaml", 4, 10), error.Location);
    }

    [Fact]
    public void Invalid_UTF_8_is_an_error_at_the_first_invalid_sequence_naming_its_bytes()
    {
        var path = _folder.Write("truncated.yaml", [.. "name: caf"u8, 0xE2, 0x82, .. "\nversion: 1.0.0\n"u8]);

        var result = WorkflowLoader.LoadFile(path);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(new SourceLocation(path, 1, 10), error.Location);
        Assert.Equal(
            $"{path}:1:10: error FL1011: The file is not valid UTF-8: the bytes 0xE2 0x82 here are not a character (the file may be Latin-1, Windows-1252 or binary). Save the file as UTF-8.",
            error.ToString());
    }

    [Fact]
    public void A_file_with_a_byte_order_mark_still_loads_in_UTF_8_and_UTF_16()
    {
        var utf8 = _folder.Write("utf8.yaml", [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(TempFolder.AgentWorkflow + "\n")]);
        var utf16 = _folder.Write("utf16.yaml", [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(TempFolder.AgentWorkflow + "\n")]);
        var utf16BigEndian = _folder.Write("utf16be.yaml", [.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes(TempFolder.AgentWorkflow + "\n")]);

        foreach (var path in new[] { utf8, utf16, utf16BigEndian })
        {
            var result = WorkflowLoader.LoadFile(path);
            Assert.True(result.Diagnostics.Count == 0, string.Join('\n', result.Diagnostics));
            Assert.Equal("uses-agents", result.Definition!.Name);
        }
    }

    [Fact]
    public void An_unpaired_surrogate_in_a_UTF_16_file_is_an_error_where_it_is()
    {
        var path = _folder.Write("utf16.yaml", [.. Encoding.Unicode.Preamble, .. "a: b\nc: "u8.ToArray().SelectMany(b => new byte[] { b, 0 }), 0x00, 0xD8]);

        var result = WorkflowLoader.LoadFile(path);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(new SourceLocation(path, 2, 4), error.Location);
        Assert.Contains("unpaired surrogate 0xD800", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variables_file_with_invalid_UTF_8_or_a_NUL_is_an_error_where_it_is_and_with_a_BOM_loads()
    {
        var latin1 = _folder.Write("latin1.yaml", [.. "owner: Jos"u8, 0xE9, .. "\n"u8]);
        var nul = _folder.Write("nul.yaml", [.. "a: 1\nb: x"u8, 0, .. "y\n"u8]);
        var bom = _folder.Write("bom.yaml", [.. Encoding.UTF8.Preamble, .. "owner: Jos\u00e9\n"u8]);

        Assert.False(VariablesFile.TryLoad(latin1, out _, out var latin1Errors));
        Assert.False(VariablesFile.TryLoad(nul, out _, out var nulErrors));
        Assert.True(VariablesFile.TryLoad(bom, out var variables, out var none), string.Join('\n', none));

        Assert.Equal(new SourceLocation(latin1, 1, 11), Assert.Single(latin1Errors, d => d.Code == DiagnosticCodes.NotText).Location);
        Assert.Equal(new SourceLocation(nul, 2, 5), Assert.Single(nulErrors, d => d.Code == DiagnosticCodes.NotText).Location);
        Assert.Equal("Jos\u00e9", variables["owner"]);
    }

    [Fact]
    public void An_agents_file_with_invalid_UTF_8_is_an_agents_file_error_where_it_is()
    {
        var workflow = _folder.Write("workflow.yaml", Encoding.UTF8.GetBytes(TempFolder.AgentWorkflow + "\n"));
        var agentsFile = _folder.Write("flowline.agents.yaml", [.. "reviewer:\n  provider: echo\n  system: r"u8, 0xE9, .. "sum\n"u8]);

        var result = WorkflowValidator.ValidateFile(workflow);

        var error = Assert.Single(result.Diagnostics, d => d.Location?.File == agentsFile);
        Assert.Equal(AgentCodes.InvalidAgentsFile, error.Code);
        Assert.Equal(new SourceLocation(agentsFile, 3, 12), error.Location);
        Assert.Contains("not valid UTF-8: the bytes 0xE9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agents_file_of_NUL_bytes_is_an_agents_file_error_not_an_empty_file()
    {
        var workflow = _folder.Write("workflow.yaml", Encoding.UTF8.GetBytes(TempFolder.AgentWorkflow + "\n"));
        var agentsFile = _folder.Write("flowline.agents.yaml", new byte[64]);

        var result = WorkflowValidator.ValidateFile(workflow);

        var error = Assert.Single(result.Diagnostics, d => d.Location?.File == agentsFile);
        Assert.Equal(AgentCodes.InvalidAgentsFile, error.Code);
        Assert.Equal(new SourceLocation(agentsFile, 1, 1), error.Location);
        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agents_file_with_a_byte_order_mark_still_loads()
    {
        var workflow = _folder.Write("workflow.yaml", Encoding.UTF8.GetBytes(TempFolder.AgentWorkflow + "\n"));
        _folder.Write("flowline.agents.yaml", [.. Encoding.UTF8.Preamble, .. "reviewer:\n  provider: echo\n"u8]);

        var result = WorkflowValidator.ValidateFile(workflow);

        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
    }
}
