using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Validation;

public sealed class DiagnosticDocsTests
{
    [Fact]
    public void Every_diagnostic_code_has_a_section_in_docs_diagnostics_md()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "diagnostics.md"));
        var codes = typeof(DiagnosticCodes).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToArray();

        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(codes, code => !docs.Contains($"### {code}:", StringComparison.Ordinal));
    }
}
