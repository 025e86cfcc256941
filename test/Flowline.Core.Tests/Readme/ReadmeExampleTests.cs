using System.Text.RegularExpressions;

namespace Flowline.Core.Tests.Readme;

/// <summary>Keeps README.md honest: its YAML validates and its C# runs (the code below is the README's, verbatim in substance).</summary>
public sealed partial class ReadmeExampleTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Every_yaml_block_in_the_readme_is_a_valid_workflow()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var blocks = YamlBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 2, "README.md should show at least two workflows");

        foreach (var (block, index) in blocks.Select((b, i) => (b, i)))
        {
            // Named as if at the repository root, so a `type: workflow` step's path resolves as the README says (issue 14).
            var result = WorkflowValidator.ValidateText(block, Path.Combine(Root, $"README.md yaml block {index + 1}"));
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        }
    }

    [Theory]
    [InlineData("Outputs and conditions")]
    [InlineData("Review")]
    public async Task The_runnable_workflows_of_the_readme_run_as_described(string name)
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var block = YamlBlock().Matches(readme).Select(m => m.Groups[1].Value).Single(b => b.StartsWith($"name: {name}\n", StringComparison.Ordinal));
        var validation = WorkflowValidator.ValidateText(block, "README.md");
        Assert.True(validation.IsValid, string.Join("\n", validation.Diagnostics));

        var result = await new WorkflowRunner().ExecuteAsync(validation.Definition!, new ExecutionOptions
        {
            Variables = new Dictionary<string, object?> { ["deploy"] = true },
            WorkingDirectory = Path.GetTempPath(),
        });

        Assert.True(result.Success, result.Error);
        if (name == "Outputs and conditions")
        {
            Assert.Equal("deploying main after 42 passed", result.StepResults["deploy"].Output);
            Assert.Equal(StepStatus.Skipped, result.StepResults["notify-on-failure"].Status);
        }
        else
        {
            Assert.Contains("Review the code in this folder at depth full.", Flowline.Expressions.ValueFormatter.Render(result.StepResults["review"].Output), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_hello_example_in_the_readme_is_the_file_in_examples()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var hello = File.ReadAllText(Path.Combine(Root, "examples", "hello.yaml"));
        var first = YamlBlock().Match(readme).Groups[1].Value;

        Assert.Contains(first.Trim(), hello, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_library_example_of_the_readme_runs_hello()
    {
        var runner = new WorkflowRunner();
        var validation = runner.ValidateFile(Path.Combine(Root, "examples", "hello.yaml"));
        Assert.True(validation.IsValid, string.Join("\n", validation.Diagnostics));

        var finished = new List<string>();
        runner.StepFinished += (_, e) => finished.Add($"{e.StepId}: {e.Result.Status}");

        var plan = validation.Plan!;
        var result = await runner.ExecuteAsync(plan, new ExecutionOptions
        {
            Variables = new Dictionary<string, object?> { ["buildNumber"] = "123" },
            MaxConcurrency = 4,
            Timeout = TimeSpan.FromMinutes(10),
        });

        Assert.True(result.Success, result.Error);
        Assert.Equal(4, finished.Count);
        Assert.Contains("summary: Completed", finished);
        Assert.Contains("Hello Flowline", runner.GenerateSummaryReport(plan.Workflow, result), StringComparison.Ordinal);
        Assert.Equal(3, result.ParallelStats.TotalGroups);
    }

    [Fact]
    public async Task The_custom_step_type_of_the_readme_validates_and_runs()
    {
        var executor = new DatabaseStepExecutor();
        const string yaml = """
            name: Custom
            version: 1.0.0
            steps:
              - id: migrate
                name: Migrate
                type: database
                config: { query: "select 1" }
              - id: broken
                name: Broken
                type: database
                config: { table: users }
            """;

        var invalid = WorkflowValidator.ValidateText(yaml, "custom.yaml", [executor]);
        Assert.Contains(invalid.Errors, d => d.Code == "FL4100" && d.StepId == "broken");

        var valid = WorkflowValidator.ValidateText(yaml.Split("  - id: broken")[0], "custom.yaml", [executor]);
        Assert.True(valid.IsValid, string.Join("\n", valid.Diagnostics));

        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(executor);
        var result = await runner.ExecuteAsync(valid.Definition!);

        Assert.True(result.Success, result.Error);
        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.StepResults["migrate"].Output);
        Assert.Equal(100, output["recordsProcessed"]);
    }

    private sealed class DatabaseStepExecutor : StepExecutor
    {
        public override string Type => "database";

        public override IEnumerable<Diagnostic> Validate(WorkflowStep step) =>
            step.Config.Raw.ContainsKey("query")
                ? []
                : [new Diagnostic("FL4100", DiagnosticSeverity.Error, "A database step needs config.query.", StepId: step.Id)];

        public override Task<StepExecutionResult> ExecuteAsync(
            WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(StepExecutionResult.Succeeded(new Dictionary<string, object?> { ["recordsProcessed"] = 100 }));
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Flowline.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Flowline.slnx not found");
    }
}
