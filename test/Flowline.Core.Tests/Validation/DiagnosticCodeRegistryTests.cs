using System.Reflection;
using System.Text.RegularExpressions;
using Flowline.Agents;
using Flowline.Core.Tests.Support;
using Flowline.Expressions;

namespace Flowline.Core.Tests.Validation;

/// <summary>
/// Issue 11: codes are declared in three registries (the core's, the expression language's, the agent executor's)
/// and FL4001 once meant two things. These tests make the three read as one: each code declared once, well formed and
/// documented, and no code written anywhere else in src/.
/// </summary>
public sealed partial class DiagnosticCodeRegistryTests
{
    private static readonly Type[] Registries = [typeof(DiagnosticCodes), typeof(ErrorCodes), typeof(AgentCodes)];

    [Fact]
    public void Every_code_of_every_registry_is_unique_and_has_the_FL_and_four_digits_form()
    {
        var codes = Codes(Registries);

        Assert.Empty(codes.Where(c => !CodeForm().IsMatch(c.Value)).Select(c => c.Name));
        Assert.Empty(Duplicates(codes));
    }

    [Fact]
    public void The_duplicate_check_names_both_fields_that_share_a_code()
    {
        var duplicates = Duplicates(Codes([typeof(FakeRegistryA), typeof(FakeRegistryB)]));

        Assert.Equal(["FL4001: FakeRegistryA.Mine, FakeRegistryB.Theirs"], duplicates);
    }

    [Fact]
    public void The_three_registries_are_the_only_types_that_declare_codes()
    {
        var declaring = new[] { typeof(DiagnosticCodes).Assembly, typeof(ErrorCodes).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsAbstract && t.IsSealed && Codes([t]).Count > 0)
            .ToHashSet();

        Assert.Equal(Registries.ToHashSet(), declaring);
    }

    [Fact]
    public void Every_code_is_documented_in_diagnostics_md_or_for_agents_in_agents_md()
    {
        var diagnostics = File.ReadAllText(Path.Combine(Repository.Root, "docs", "diagnostics.md"));
        var agents = File.ReadAllText(Path.Combine(Repository.Root, "docs", "agents.md"));

        var undocumented = Codes(Registries).Where(c => c.Registry == typeof(AgentCodes)
            ? !agents.Contains($"| {c.Value} |", StringComparison.Ordinal)
            : !diagnostics.Contains($"### {c.Value}:", StringComparison.Ordinal));

        Assert.Empty(undocumented.Select(c => $"{c.Name} ({c.Value})"));
    }

    [Fact]
    public void No_source_file_outside_the_registries_writes_a_code_as_a_literal()
    {
        var registryFiles = new HashSet<string>(StringComparer.Ordinal)
        {
            Path.Combine("Flowline.Core", "Diagnostics", "DiagnosticCodes.cs"),
            Path.Combine("Flowline.Core", "Agents", "AgentCodes.cs"),
            Path.Combine("Flowline.Expressions", "ErrorCodes.cs"),
        };
        var src = Path.Combine(Repository.Root, "src");

        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(src, f))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !registryFiles.Contains(f) && CodeLiteral().IsMatch(File.ReadAllText(Path.Combine(src, f))));

        Assert.Empty(offenders);
    }

    private static List<(Type Registry, string Name, string Value)> Codes(IEnumerable<Type> registries) =>
        [.. registries.SelectMany(t => t
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && LooksLikeCode((string)f.GetRawConstantValue()!))
            .Select(f => (t, $"{t.Name}.{f.Name}", (string)f.GetRawConstantValue()!)))];

    // "FL" and a digit: wide enough to catch a malformed code (FL401), narrow enough to skip FLOWLINE_OUTPUT.
    private static bool LooksLikeCode(string value) =>
        value.Length > 2 && value.StartsWith("FL", StringComparison.Ordinal) && char.IsAsciiDigit(value[2]);

    private static List<string> Duplicates(IEnumerable<(Type Registry, string Name, string Value)> codes) =>
        [.. codes.GroupBy(c => c.Value, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Name))}")];

    [GeneratedRegex(@"^FL\d{4}$")]
    private static partial Regex CodeForm();

    [GeneratedRegex("\"FL\\d{4}\"")]
    private static partial Regex CodeLiteral();

    private static class FakeRegistryA
    {
        public const string Mine = "FL4001";
    }

    private static class FakeRegistryB
    {
        public const string Theirs = "FL4001";
    }
}
