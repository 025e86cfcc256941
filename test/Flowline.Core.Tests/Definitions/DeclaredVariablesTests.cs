using Flowline.Testing;

namespace Flowline.Core.Tests.Definitions;

/// <summary>Issue 13, docs/variables.md: the values a run is given, checked against the workflow's declarations.</summary>
public sealed class DeclaredVariablesTests
{
    private const string Yaml = """
        name: vars
        version: 1.0.0
        variables:
          branch: main
          deployProduction: { type: boolean, default: false, description: "Deploy to production after staging" }
          replicas: { type: number, required: true }
          environment: { type: string, enum: [staging, production], default: staging }
          tag: { type: string }
        steps:
          - id: show
            name: Show
            type: fake
            config: {}
        """;

    private static WorkflowDefinition Load() => WorkflowLoader.Parse(Yaml, "vars.yaml").Definition!;

    [Fact]
    public void Shorthand_and_full_declarations_load_with_their_types()
    {
        var variables = Load().Variables;

        Assert.Equal(["branch", "deployProduction", "replicas", "environment", "tag"], variables.Keys);
        Assert.Equal(new VariableDefinition { Type = VariableType.String, Default = "main" }, variables["branch"]);
        Assert.Equal(VariableType.Boolean, variables["deployProduction"].Type);
        Assert.Equal("Deploy to production after staging", variables["deployProduction"].Description);
        Assert.True(variables["replicas"].Required);
        Assert.Equal(["staging", "production"], variables["environment"].Enum!);
    }

    [Fact]
    public void Defaults_fill_in_and_given_text_is_converted_to_the_declared_type()
    {
        var resolution = DeclaredVariables.Resolve(Load(), new Dictionary<string, object?> { ["replicas"] = "3", ["tag"] = 1L, ["deployProduction"] = "true" });

        Assert.True(resolution.IsValid);
        Assert.Equal(3L, resolution.Values["replicas"]);
        Assert.Equal("1", resolution.Values["tag"]);
        Assert.Equal(true, resolution.Values["deployProduction"]);
        Assert.Equal("main", resolution.Values["branch"]);
        Assert.Equal("staging", resolution.Values["environment"]);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_did_you_mean()
    {
        var resolution = DeclaredVariables.Resolve(Load(), new Dictionary<string, object?>
        {
            ["replcas"] = 3L,
            ["environment"] = "prod",
            ["deployProduction"] = "yes",
        });

        Assert.False(resolution.IsValid);
        Assert.Equal(
            [DiagnosticCodes.UnknownVariable, DiagnosticCodes.InvalidVariableValue, DiagnosticCodes.InvalidVariableValue, DiagnosticCodes.MissingRequiredVariable],
            resolution.Problems.Select(p => p.Code));
        Assert.Contains("Did you mean 'replicas'?", resolution.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'production'?", resolution.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("is a boolean but was given \"yes\"", resolution.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("'replicas' is required", resolution.Problems[3].Message, StringComparison.Ordinal);
        Assert.Equal(6, resolution.Problems[3].Location!.Line);
    }

    [Fact]
    public void A_workflow_without_declarations_takes_any_values_unchanged()
    {
        var workflow = Load() with { Variables = new Dictionary<string, VariableDefinition>() };
        var given = new Dictionary<string, object?> { ["anything"] = "x" };

        var resolution = DeclaredVariables.Resolve(workflow, given);

        Assert.True(resolution.IsValid);
        Assert.Same(given, resolution.Values);
    }

    [Fact]
    public async Task The_runner_checks_execution_options_variables_before_any_step_starts()
    {
        var fake = new FakeStepExecutor();
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(fake);

        var bad = await runner.ExecuteAsync(Load(), new ExecutionOptions { Variables = new Dictionary<string, object?> { ["replicas"] = "many" } });
        Assert.Equal(WorkflowStatus.Failed, bad.Status);
        Assert.Contains("FL1133", bad.Error, StringComparison.Ordinal);
        Assert.Empty(fake.StartOrder);

        string? seen = null;
        var reading = new FakeStepExecutor(behavior: (_, context, _) =>
        {
            seen = context.Render("{{ variables.replicas }} {{ variables.environment }}");
            return Task.FromResult(StepExecutionResult.Succeeded());
        });
        var good = new WorkflowRunner();
        good.RegisterStepExecutor(reading);
        var result = await good.ExecuteAsync(Load(), new ExecutionOptions { Variables = new Dictionary<string, object?> { ["replicas"] = "2" } });
        Assert.True(result.Success, result.Error);
        Assert.Equal("2 staging", seen);
    }

    [Fact]
    public void An_undeclared_reference_is_an_error_only_when_the_workflow_declares_variables()
    {
        const string Reads = """
            name: r
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config: { command: echo, args: ["{{ variables.anything }}"] }
            """;

        Assert.True(WorkflowValidator.ValidateText(Reads, "r.yaml").IsValid);
        var declared = WorkflowValidator.ValidateText(Reads.Replace("steps:", "variables: { something: 1 }\nsteps:", StringComparison.Ordinal), "r.yaml");
        var error = Assert.Single(declared.Diagnostics);
        Assert.Equal(DiagnosticCodes.UndeclaredVariable, error.Code);
    }
}
