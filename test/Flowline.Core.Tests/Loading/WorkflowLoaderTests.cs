using System.Text;
using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Loading;

public sealed class WorkflowLoaderTests
{
    private const string Minimal = """
        name: Minimal
        version: 1.0.0
        steps:
          - id: a
            name: A
            type: script
            config:
              command: echo
        """;

    [Fact]
    public void Loader_reads_every_field_of_the_quick_start_example()
    {
        var result = WorkflowLoader.LoadFile(Path.Combine(Repository.Examples, "quick-start.yaml"));

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        var definition = result.Definition!;
        Assert.Equal("My Workflow", definition.Name);
        Assert.Equal("1.0.0", definition.Version);
        Assert.Equal("Optional description", definition.Description);
        Assert.Equal(TimeSpan.FromMinutes(5), definition.Timeout);
        Assert.Equal(true, definition.Parallel!.Enabled);
        Assert.Equal(4, definition.Parallel.DefaultMaxConcurrency);
        Assert.Equal(new Dictionary<string, int> { ["cpu"] = 2, ["memory"] = 4 }, definition.Parallel.Resources);
        Assert.Equal(new Dictionary<string, string> { ["NODE_ENV"] = "production", ["BUILD_NUMBER"] = "123" }, definition.Env);

        var step1 = definition.Steps[0];
        var script = Assert.IsType<ScriptStepConfig>(step1.Config);
        Assert.Equal(("step1", "First Step", "script"), (step1.Id, step1.Name, step1.Type));
        Assert.Equal("echo", script.Command);
        Assert.Equal(["npm", "install"], script.Args);
        Assert.Equal("echo", script.Raw["command"]);
        Assert.Equal("/steps/0", step1.SourcePath);

        var step2 = definition.Steps[1];
        var agent = Assert.IsType<AgentStepConfig>(step2.Config);
        Assert.Equal("code-analyzer", agent.Agent);
        Assert.Equal("Analyze the code for issues", agent.Prompt);
        Assert.Equal("full", agent.Parameters["depth"]);
        Assert.Equal(["step1"], step2.DependsOn);
        Assert.Equal(new StepParallelOptions { Enabled = true, MaxConcurrency = 2, Resource = "cpu" }, step2.Parallel);
    }

    [Fact]
    public void Source_records_the_file_its_hash_and_the_position_of_every_node_by_json_pointer()
    {
        const string text = """
            name: Pointers
            version: 1.0.0
            env:
              A/B: x
            steps:
              - id: a
                name: A
                type: script
                config: { command: echo }
              - id: b
                name: B
                type: script
                config: { command: echo }
                dependsOn: [x, a]
            """;
        using var file = new TempFile(text);

        var source = WorkflowLoader.LoadFile(file.Path).Definition!.Source!;

        Assert.Equal(file.Path, source.Path);
        Assert.Equal(Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(text))), source.ContentHash);
        Assert.Equal(new SourceLocation(file.Path, 1, 7), source.Locate("/name"));
        Assert.Equal(new SourceLocation(file.Path, 1, 1), source.Locate("/name#key"));
        Assert.Equal(new SourceLocation(file.Path, 4, 8), source.Locate("/env/A~1B"));
        Assert.Equal(new SourceLocation(file.Path, 6, 5), source.Locate("/steps/0"));
        Assert.Equal(new SourceLocation(file.Path, 14, 20), source.Locate("/steps/1/dependsOn/1"));
        Assert.Equal(new SourceLocation(file.Path, 9, 24), source.Locate("/steps/0/config/command"));
        Assert.Equal(new SourceLocation(file.Path, 6, 5), source.Locate("/steps/0/nothing/here"));
    }

    [Fact]
    public void Source_answers_the_same_positions_after_letting_go_of_its_node_tree()
    {
        const string text = """
            name: Released
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config: { command: "echo {{ vars.x }}" }
              - id: b
                name: B
                type: script
                config: { command: echo }
                dependsOn: [a]
            """;
        var source = WorkflowLoader.Parse(text, "released.yaml").Definition!.Source!;
        string[] pointers = ["/name", "/name#key", "/steps/0", "/steps/1/dependsOn/0", "/steps/0/config/command", "/steps/0/nothing/here", "/nowhere"];
        var before = pointers.Select(source.Locate).ToArray();
        var inValue = source.LocateInValue("/steps/0/config/command", 8);
        var hash = source.ContentHash;

        source.ReleaseNodeTree();

        Assert.False(source.HoldsNodeTree);
        Assert.Equal(before, pointers.Select(source.Locate).ToArray());
        Assert.Equal(inValue, source.LocateInValue("/steps/0/config/command", 8));
        Assert.True(source.Contains("/steps/1/dependsOn"));
        Assert.Equal(hash, source.ContentHash);
    }

    [Fact]
    public void Unknown_key_is_an_error_at_the_key_with_a_did_you_mean_suggestion()
    {
        var result = WorkflowLoader.Parse(Minimal.Replace("    name: A", "    nmae: A", StringComparison.Ordinal), "typo.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownKey, error.Code);
        Assert.Equal(new SourceLocation("typo.yaml", 5, 5), error.Location);
        Assert.Contains("Unknown key 'nmae'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'name'?", error.Message, StringComparison.Ordinal);
        Assert.False(result.Success);
    }

    [Fact]
    public void Keys_starting_with_x_dash_are_ignored_everywhere()
    {
        const string text = """
            x-top: 1
            name: Extensions
            version: 1.0.0
            parallel: { x-note: a, enabled: true }
            env: { A: a, x-comment: [not, an, env, value] }
            steps:
              - id: a
                x-owner: me
                name: A
                type: script
                config: { command: echo, x-hint: [1, 2] }
                parallel: { x-why: b }
              - id: b
                name: B
                type: agent
                config: { agent: helper, x-model: big }
            """;

        var result = WorkflowLoader.Parse(text, "x.yaml");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["A"], result.Definition!.Env.Keys);
    }

    [Fact]
    public void Yaml_syntax_error_names_its_line_and_column()
    {
        const string text = "name: Broken\nversion: 1.0.0\nsteps:\n  - id: a\n    name: \"unterminated\n";

        var result = WorkflowLoader.Parse(text, "broken.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal("broken.yaml", error.Location!.File);
        Assert.Equal((5, 11), (error.Location.Line, error.Location.Column));
        Assert.StartsWith("YAML syntax error:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Bad_indentation_is_a_syntax_error_at_the_offending_line()
    {
        const string text = "name: Broken\nversion: 1.0.0\n  steps: []\n";

        var error = Assert.Single(WorkflowLoader.Parse(text, "indent.yaml").Diagnostics);

        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(3, error.Location!.Line);
    }

    [Fact]
    public void Duplicate_top_level_key_is_reported_at_the_second_occurrence()
    {
        var error = Assert.Single(WorkflowLoader.Parse("name: A\n" + Minimal, "dup.yaml").Diagnostics);

        Assert.Equal(DiagnosticCodes.DuplicateKey, error.Code);
        Assert.Equal(new SourceLocation("dup.yaml", 2, 1), error.Location);
        Assert.Contains("first at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Env_values_keep_the_text_of_any_scalar()
    {
        const string text = """
            name: Env
            version: 1.0.0
            env:
              CI: true
              COUNT: 007
              RATIO: 1.50
              EMPTY:
              QUOTED: "yes"
            steps: [{ id: a, name: A, type: script, config: { command: env } }]
            """;

        var env = WorkflowLoader.Parse(text, "env.yaml").Definition!.Env;

        Assert.Equal(
            new Dictionary<string, string> { ["CI"] = "true", ["COUNT"] = "007", ["RATIO"] = "1.50", ["EMPTY"] = "", ["QUOTED"] = "yes" },
            env);
    }

    [Fact]
    public void Free_form_values_resolve_by_the_yaml_1_2_core_schema()
    {
        const string text = """
            name: Scalars
            version: 1.0.0
            metadata:
              bool: true
              yes: yes
              int: 42
              negative: -7
              hex: 0x1F
              octal: 0o17
              float: 1.5e3
              infinity: .inf
              nothing: ~
              empty:
              quoted: "42"
              single: 'true'
              list: [a, 1]
              map: { k: v }
            steps: [{ id: a, name: A, type: script, config: { command: env } }]
            """;

        var metadata = WorkflowLoader.Parse(text, "scalars.yaml").Definition!.Metadata;

        Assert.Equal(true, metadata["bool"]);
        Assert.Equal("yes", metadata["yes"]);
        Assert.Equal(42L, metadata["int"]);
        Assert.Equal(-7L, metadata["negative"]);
        Assert.Equal(31L, metadata["hex"]);
        Assert.Equal(15L, metadata["octal"]);
        Assert.Equal(1500.0, metadata["float"]);
        Assert.Equal(double.PositiveInfinity, metadata["infinity"]);
        Assert.Null(metadata["nothing"]);
        Assert.Null(metadata["empty"]);
        Assert.Equal("42", metadata["quoted"]);
        Assert.Equal("true", metadata["single"]);
        Assert.Equal(new object?[] { "a", 1L }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(metadata["list"]));
        Assert.Equal("v", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(metadata["map"])["k"]);
    }

    [Fact]
    public void A_single_string_dependsOn_is_read_as_a_one_element_list()
    {
        var text = Minimal + "\n  - { id: b, name: B, type: script, config: { command: echo }, dependsOn: a }";

        var result = WorkflowLoader.Parse(text, "single.yaml");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Equal(["a"], result.Definition!.Steps[1].DependsOn);
    }

    [Fact]
    public void A_quoted_string_where_a_boolean_belongs_is_an_error_naming_the_expected_type()
    {
        var text = Minimal + "\n    continueOnError: \"yes\"";

        var error = Assert.Single(WorkflowLoader.Parse(text, "bool.yaml").Diagnostics);

        Assert.Equal(DiagnosticCodes.WrongType, error.Code);
        Assert.Equal(new SourceLocation("bool.yaml", 9, 22), error.Location);
        Assert.Contains("Expected a boolean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_step_types_keep_their_config_as_plain_values_without_key_checks()
    {
        const string text = """
            name: Custom
            version: 1.0.0
            steps:
              - id: db
                name: Database
                type: database
                config:
                  query: SELECT 1
                  retries: 3
                  options: { readOnly: true }
            """;

        var step = Assert.Single(WorkflowLoader.Parse(text, "custom.yaml").Definition!.Steps);

        var config = Assert.IsType<CustomStepConfig>(step.Config);
        Assert.Equal("SELECT 1", config.Raw["query"]);
        Assert.Equal(3L, config.Raw["retries"]);
        Assert.Equal(true, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(config.Raw["options"])["readOnly"]);
    }

    [Fact]
    public void Agents_are_read_as_a_map_of_free_form_maps()
    {
        const string text = """
            name: Agents
            version: 1.0.0
            agents:
              code-analyzer: { provider: openai, model: gpt-4o, temperature: 0.2 }
              broken: just a string
            steps: [{ id: a, name: A, type: agent, config: { agent: code-analyzer } }]
            """;

        var result = WorkflowLoader.Parse(text, "agents.yaml");

        Assert.Equal("openai", result.Definition!.Agents["code-analyzer"]["provider"]);
        Assert.Equal(0.2, result.Definition.Agents["code-analyzer"]["temperature"]);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.WrongType, 5), (error.Code, error.Location!.Line));
    }

    [Fact]
    public void Anchors_and_aliases_are_followed()
    {
        const string text = """
            name: Aliases
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config: &echo { command: echo, args: [hi] }
              - id: b
                name: B
                type: script
                config: *echo
                dependsOn: [a]
            """;

        var result = WorkflowLoader.Parse(text, "alias.yaml");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Equal(["hi"], Assert.IsType<ScriptStepConfig>(result.Definition!.Steps[1].Config).Args);
    }

    [Fact]
    public void Merge_keys_share_config_and_written_keys_win()
    {
        const string text = """
            name: Merge
            version: 1.0.0
            x-defaults: &defaults { command: echo, args: [default], timeout: 5s }
            steps:
              - id: a
                name: A
                type: script
                config:
                  <<: *defaults
                  args: [own]
              - id: b
                name: B
                type: script
                config: { <<: [*defaults, { workingDirectory: /tmp }] }
            """;

        var result = WorkflowLoader.Parse(text, "merge.yaml");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        var a = Assert.IsType<ScriptStepConfig>(result.Definition!.Steps[0].Config);
        Assert.Equal(("echo", "own", TimeSpan.FromSeconds(5)), (a.Command, Assert.Single(a.Args), a.Timeout));
        var b = Assert.IsType<ScriptStepConfig>(result.Definition.Steps[1].Config);
        Assert.Equal(("default", "/tmp"), (Assert.Single(b.Args), b.WorkingDirectory));
        Assert.Equal(3, result.Definition.Source!.Locate("/steps/0/config/command")!.Line);
    }

    [Fact]
    public void An_alias_to_an_undefined_anchor_is_a_syntax_error()
    {
        var error = Assert.Single(WorkflowLoader.Parse(Minimal.Replace("command: echo", "command: *nowhere", StringComparison.Ordinal), "alias.yaml").Diagnostics);

        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(8, error.Location!.Line);
    }

    [Fact]
    public void Deeply_nested_free_form_values_are_an_error_not_a_crash()
    {
        var text = Minimal + "\nmetadata:\n  deep: " + new string('[', 5000) + new string(']', 5000);

        var result = WorkflowLoader.Parse(text, "deep.yaml");

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.WrongType);
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_do_not_move_reported_positions()
    {
        var text = "\uFEFF" + Minimal.Replace("\n", "\r\n", StringComparison.Ordinal).Replace("    name: A", "    nmae: A", StringComparison.Ordinal);
        using var file = new TempFile(text);

        var error = Assert.Single(WorkflowLoader.LoadFile(file.Path).Diagnostics);

        Assert.Equal(new SourceLocation(file.Path, 5, 5), error.Location);
    }

    [Fact]
    public void Tabs_used_for_indentation_are_a_syntax_error_with_a_position()
    {
        var error = Assert.Single(WorkflowLoader.Parse("name: A\nversion: 1.0.0\nsteps:\n\t- id: a\n", "tabs.yaml").Diagnostics);

        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(new SourceLocation("tabs.yaml", 4, 1), error.Location);
        Assert.Contains("tab", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_diagnostic_not_an_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), "flowline-" + Guid.NewGuid().ToString("N"), "missing.yaml");

        var result = WorkflowLoader.LoadFile(path);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.FileUnreadable, error.Code);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void A_directory_is_a_diagnostic_not_an_exception()
    {
        using var file = new TempFile(Minimal);

        var error = Assert.Single(WorkflowLoader.LoadFile(Path.GetDirectoryName(file.Path)!).Diagnostics);

        Assert.Equal(DiagnosticCodes.FileUnreadable, error.Code);
    }

    [Fact]
    public void A_definition_is_still_produced_when_the_loader_reports_errors_so_validation_can_report_the_rest()
    {
        var result = WorkflowLoader.Parse(Minimal + "\n    bogus: 1", "partial.yaml");

        Assert.False(result.Success);
        Assert.NotNull(result.Definition);
        Assert.Equal("a", result.Definition.Steps[0].Id);
    }
}
