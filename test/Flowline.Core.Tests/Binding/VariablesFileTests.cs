namespace Flowline.Core.Tests.Binding;

public sealed class VariablesFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flowline-vars-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_YAML_file_gives_typed_and_nested_variables()
    {
        var path = Write("vars.yaml", """
            buildNumber: 42
            deployStaging: true
            branch: main
            quoted: "true"
            ratio: 0.5
            targets:
              - name: eu
                hosts: [a, b]
            """);

        Assert.True(VariablesFile.TryLoad(path, out var variables, out var diagnostics), string.Join("\n", diagnostics));

        Assert.Equal(42L, variables["buildNumber"]);
        Assert.Equal(true, variables["deployStaging"]);
        Assert.Equal("main", variables["branch"]);
        Assert.Equal("true", variables["quoted"]);
        Assert.Equal(0.5, variables["ratio"]);
        var target = (IReadOnlyDictionary<string, object?>)((object?[])variables["targets"]!)[0]!;
        Assert.Equal(new object?[] { "a", "b" }, (object?[])target["hosts"]!);
    }

    [Fact]
    public void A_JSON_file_is_read_the_same_way()
    {
        var path = Write("vars.json", """{"buildNumber": 7, "gitCommit": "abc", "flags": {"fast": false}, "none": null}""");

        Assert.True(VariablesFile.TryLoad(path, out var variables, out _));

        Assert.Equal(7L, variables["buildNumber"]);
        Assert.Equal("abc", variables["gitCommit"]);
        Assert.Equal(false, ((IReadOnlyDictionary<string, object?>)variables["flags"]!)["fast"]);
        Assert.Null(variables["none"]);
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_a_diagnostic_with_its_location()
    {
        var path = Write("list.yaml", "- a\n- b\n");

        Assert.False(VariablesFile.TryLoad(path, out _, out var diagnostics));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("FL1005", diagnostic.Code);
        Assert.Equal(1, diagnostic.Location!.Line);
        Assert.Contains("holds a list", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_or_bad_YAML_is_a_diagnostic_not_an_exception()
    {
        Assert.False(VariablesFile.TryLoad(Path.Combine(_folder, "nope.yaml"), out _, out var missing));
        Assert.Equal("FL1000", Assert.Single(missing).Code);

        Assert.False(VariablesFile.TryLoad(Write("bad.yaml", "a: [1, 2\n"), out _, out var bad));
        Assert.Equal("FL1001", bad[0].Code);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("42", 42L)]
    [InlineData("-3", -3L)]
    [InlineData("2.5", 2.5)]
    [InlineData("1.10", "1.10")]
    [InlineData("007", "007")]
    [InlineData("1.2.0", "1.2.0")]
    [InlineData("main", "main")]
    [InlineData("", "")]
    [InlineData("null", "null")]
    [InlineData("True", "True")]
    [InlineData("1e5", "1e5")]
    [InlineData("0x1F", "0x1F")]
    public void A_var_value_is_a_boolean_or_a_canonical_number_or_else_text(string text, object? expected)
    {
        Assert.Equal(expected, VariablesFile.ParseValue(text));
    }

    [Fact]
    public void An_assignment_splits_at_the_first_equals_sign()
    {
        Assert.True(VariablesFile.TryParseAssignment("query=a=b", out var name, out var value, out _));
        Assert.Equal(("query", "a=b"), (name, value));

        Assert.False(VariablesFile.TryParseAssignment("branch", out _, out _, out var error));
        Assert.Contains("--var name=value", error, StringComparison.Ordinal);
    }
}
