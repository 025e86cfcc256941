using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Validation;

public sealed class WorkflowValidatorTests
{
    private static WorkflowStep Script(string id, params string[] dependsOn) => new()
    {
        Id = id,
        Name = id,
        Type = "script",
        Config = new ScriptStepConfig { Command = "echo" },
        DependsOn = dependsOn,
    };

    private static WorkflowDefinition Workflow(params WorkflowStep[] steps) => new()
    {
        Name = "In code",
        Version = "1.0.0",
        Steps = steps,
    };

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("0.1.0")]
    [InlineData("1.2.0-beta.1")]
    [InlineData("10.20.30+build.5")]
    [InlineData("1.0.0-rc.1+sha.abc")]
    public void Semantic_versions_are_accepted(string version)
    {
        var result = new WorkflowValidator().Validate(Workflow(Script("a")) with { Version = version });

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("1.0", "'1.0.0'")]
    [InlineData("1", "'1.0'")]
    [InlineData("v1.0.0", "Drop the leading 'v'")]
    [InlineData("01.0.0", "MAJOR.MINOR.PATCH")]
    [InlineData("1.0.0-", "MAJOR.MINOR.PATCH")]
    [InlineData("latest", "MAJOR.MINOR.PATCH")]
    public void Versions_that_are_not_semantic_are_rejected_with_a_hint(string version, string hint)
    {
        var result = new WorkflowValidator().Validate(Workflow(Script("a")) with { Version = version });

        var error = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticCodes.InvalidVersion, error.Code);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_built_in_code_is_checked_without_locations()
    {
        var definition = new WorkflowDefinition
        {
            Name = "",
            Version = "1.0.0",
            Steps = [Script("a", "a"), Script("b", "nowhere"), new WorkflowStep { Id = "c", Name = "C", Type = "script", Config = new ScriptStepConfig { Command = "" } }],
        };

        var result = new WorkflowValidator().Validate(definition);

        Assert.Equal(
            [(DiagnosticCodes.MissingField, null), (DiagnosticCodes.MissingField, "c"), (DiagnosticCodes.SelfDependency, "a"), (DiagnosticCodes.UnknownDependency, "b")],
            result.Errors.Select(e => (e.Code, e.StepId)));
        Assert.All(result.Diagnostics, d => Assert.Null(d.Location));
        Assert.Same(definition, result.Definition);
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        const string text = """
            name: Many problems
            version: one
            timeout: 0
            parallel: { defaultMaxConcurrency: 0, resources: { cpu: 0 } }
            steps:
              - { id: a, name: A, type: script, config: { command: echo }, dependsOn: [b, zz], parallel: { resource: gpu } }
              - { id: b, name: B, type: scripts, config: { command: echo }, dependsOn: [a] }
              - { id: a, name: A again, type: agent, config: { agent: "" } }
            """;

        var result = WorkflowValidator.ValidateText(text, "many.yaml");

        Assert.Equal(
            [
                DiagnosticCodes.InvalidVersion, DiagnosticCodes.NonPositiveTimeout, DiagnosticCodes.NonPositiveConcurrency,
                DiagnosticCodes.NonPositivePoolSize, DiagnosticCodes.DependencyCycle, DiagnosticCodes.UnknownDependency, DiagnosticCodes.UndeclaredResource,
                DiagnosticCodes.UnknownStepType, DiagnosticCodes.DuplicateStepId, DiagnosticCodes.MissingField,
            ],
            result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Unknown_step_type_lists_the_built_in_and_registered_types()
    {
        var result = new WorkflowValidator([new RecordingExecutor("database")]).Validate(
            Workflow(Script("a") with { Type = "databse" }));

        var error = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticCodes.UnknownStepType, error.Code);
        Assert.Contains("Did you mean 'database'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("'script', 'agent', 'workflow', 'database'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registered_custom_executor_validates_its_own_steps_and_its_diagnostics_get_the_step_location()
    {
        const string text = """
            name: Custom
            version: 1.0.0
            steps:
              - id: db
                name: Query
                type: database
                config:
                  query: SELECT 1
            """;
        var executor = new RecordingExecutor("database", new Diagnostic("FL4100", DiagnosticSeverity.Error, "'connection' is required."));

        var result = WorkflowValidator.ValidateText(text, "custom.yaml", [executor]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("FL4100", "db", 8), (error.Code, error.StepId, error.Location!.Line));
        Assert.Equal("SELECT 1", Assert.Single(executor.Seen).Config.Raw["query"]);
    }

    [Fact]
    public void A_custom_executor_that_throws_while_validating_becomes_a_diagnostic()
    {
        var result = new WorkflowValidator([new RecordingExecutor("boom", throws: true)]).Validate(
            Workflow(Script("a") with { Type = "boom", Config = new CustomStepConfig() }));

        var error = Assert.Single(result.Errors);
        Assert.Equal((DiagnosticCodes.ExecutorValidationFailed, "a"), (error.Code, error.StepId));
        Assert.Contains("kaboom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_listed_twice_is_a_warning_and_the_workflow_stays_valid()
    {
        var result = new WorkflowValidator().Validate(Workflow(Script("a"), Script("b", "a", "a")));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal((DiagnosticCodes.DuplicateDependency, "b"), (warning.Code, warning.StepId));
        Assert.True(result.IsValid);
    }

    [Fact]
    public void A_wrong_typed_required_field_is_reported_once_by_the_loader_not_again_as_missing()
    {
        const string text = """
            name: [not, a, string]
            version: 1.0.0
            steps:
              - id: a
                name: A
                type: script
                config: [command, echo]
            """;

        var result = WorkflowValidator.ValidateText(text, "typed.yaml");

        Assert.Equal([(DiagnosticCodes.WrongType, 1), (DiagnosticCodes.WrongType, 7)], result.Errors.Select(e => (e.Code, e.Location!.Line)));
    }

    [Fact]
    public void Diagnostics_format_as_file_line_column_severity_code_and_message()
    {
        var result = WorkflowValidator.ValidateText("name: A\nversion: 1.0.0\nsteps: []\n", "empty.yaml");

        Assert.Equal("empty.yaml:3:8: error FL1110: The workflow has no steps; add at least one under 'steps:'.", Assert.Single(result.Diagnostics).ToString());
    }

    private sealed class RecordingExecutor(string type, Diagnostic? diagnostic = null, bool throws = false) : StepExecutor
    {
        public List<WorkflowStep> Seen { get; } = [];

        public override string Type => type;

        public override IEnumerable<Diagnostic> Validate(WorkflowStep step)
        {
            if (throws)
            {
                throw new InvalidOperationException("kaboom");
            }

            Seen.Add(step);
            return diagnostic is null ? [] : [diagnostic];
        }

        public override Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
