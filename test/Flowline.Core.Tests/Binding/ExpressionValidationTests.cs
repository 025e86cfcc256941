namespace Flowline.Core.Tests.Binding;

/// <summary>Conditions and templates checked at validation (issue 4): syntax, roots, step ids, fields, cycles.</summary>
public sealed class ExpressionValidationTests
{
    private static ValidationResult Validate(string steps, string env = "") => WorkflowValidator.ValidateText(
        $"""
        name: checks
        version: 1.0.0
        {env}
        steps:
          - id: build
            name: build
            type: script
            config: {"{"} command: "true" {"}"}
        {steps}
        """,
        "flow.yaml");

    private static Diagnostic Single(ValidationResult result) => Assert.Single(result.Errors);

    [Fact]
    public void A_condition_syntax_error_points_at_the_character_with_a_caret()
    {
        var error = Single(Validate("""
              - id: deploy
                name: deploy
                type: script
                config: { command: "true" }
                condition: "env.NODE_ENV = 'production'"
            """));

        Assert.Equal("FL3001", error.Code);
        Assert.Equal("deploy", error.StepId);
        Assert.Equal("flow.yaml:13:30", error.Location!.ToString());
        Assert.Equal(
            "Step 'deploy' has an invalid condition: '=' is not an operator: compare with '===' (or '==')\nenv.NODE_ENV = 'production'\n             ^",
            error.Message);
    }

    [Fact]
    public void A_plain_condition_is_located_without_the_quote_offset()
    {
        var error = Single(Validate("""
              - id: deploy
                name: deploy
                type: script
                config: { command: "true" }
                condition: variables.a &&
            """));

        Assert.Equal("FL3001", error.Code);
        Assert.Equal(13, error.Location!.Line);
        Assert.Equal(16 + "variables.a &&".Length, error.Location.Column);
    }

    [Fact]
    public void An_unclosed_template_hole_in_an_argument_is_reported_at_its_opening_braces()
    {
        var error = Single(Validate("""
              - id: deploy
                name: deploy
                type: script
                config: { command: echo, args: ["x", "ok {{ variables.a"] }
            """));

        Assert.Equal("FL3006", error.Code);
        Assert.Equal("flow.yaml:12:46", error.Location!.ToString());
        Assert.Contains("template in config.args[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_scalar_error_gets_the_right_line()
    {
        var error = Single(Validate("""
              - id: notify
                name: notify
                type: agent
                config:
                  agent: sender
                  prompt: |
                    Build {{ variables.buildNumber }} done.
                    Tests: {{ steps.build.output. }}
            """));

        Assert.Equal("FL3001", error.Code);
        Assert.Equal(16, error.Location!.Line);
        Assert.Equal(9 + "Tests: {{ steps.build.output. ".Length, error.Location.Column);
    }

    [Fact]
    public void An_unknown_root_is_an_error_with_a_suggestion()
    {
        var error = Single(Validate("""
              - id: deploy
                name: deploy
                type: script
                config: { command: echo, args: ["{{ varaibles.x }}"] }
            """));

        Assert.Equal(DiagnosticCodes.UnknownExpressionRoot, error.Code);
        Assert.Contains("Did you mean 'variables'?", error.Message, StringComparison.Ordinal);
        Assert.Equal("flow.yaml:12:41", error.Location!.ToString());
    }

    [Fact]
    public void Parameters_are_only_a_root_in_agent_steps()
    {
        var error = Single(Validate("""
              - id: deploy
                name: deploy
                type: script
                config: { command: echo, args: ["{{ parameters.target }}"] }
            """));

        Assert.Equal(DiagnosticCodes.UnknownExpressionRoot, error.Code);
        Assert.Contains("the agent executor adds 'agent' to an agent step's prompt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_step_id_is_an_error_with_did_you_mean()
    {
        var error = Single(Validate("""
              - id: notify
                name: notify
                type: script
                config: { command: "true" }
                condition: "steps.biuld.success === false"
            """));

        Assert.Equal(DiagnosticCodes.UnknownStepReference, error.Code);
        Assert.Contains("no step has the id 'biuld'. Did you mean 'build'?", error.Message, StringComparison.Ordinal);
        Assert.Equal("flow.yaml:13:17", error.Location!.ToString());
    }

    [Fact]
    public void An_unknown_step_field_is_an_error_with_did_you_mean()
    {
        var error = Single(Validate("""
              - id: notify
                name: notify
                type: script
                config: { command: "true" }
                condition: "steps.build.sucess"
            """));

        Assert.Equal(DiagnosticCodes.UnknownExpressionField, error.Code);
        Assert.Contains("Did you mean 'success'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_reading_itself_is_an_error()
    {
        var error = Single(Validate("""
              - id: deploy
                name: deploy
                type: script
                config: { command: echo, args: ["{{ steps.deploy.output }}"] }
            """));

        Assert.Equal(DiagnosticCodes.SelfReference, error.Code);
    }

    [Fact]
    public void Workflow_env_cannot_read_steps()
    {
        var error = Single(Validate("", env: """
            env:
              VERSION: "{{ steps.build.output }}"
            """));

        Assert.Equal(DiagnosticCodes.WorkflowEnvReadsSteps, error.Code);
    }

    [Fact]
    public void A_cycle_through_a_template_reference_is_a_cycle_error_that_names_the_read()
    {
        var error = Single(Validate("""
              - id: a
                name: a
                type: script
                config: { command: echo, args: ["{{ steps.b.output }}"] }
              - id: b
                name: b
                type: script
                dependsOn: [a]
                config: { command: "true" }
            """));

        Assert.Equal(DiagnosticCodes.DependencyCycle, error.Code);
        Assert.Contains("'a' reads steps.b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Braces_in_a_custom_steps_config_are_left_to_its_executor()
    {
        var result = WorkflowValidator.ValidateText(
            """
            name: custom
            version: 1.0.0
            steps:
              - id: call
                name: call
                type: http
                config:
                  body: "{{ .Values.name }} {{"
            """,
            "flow.yaml",
            [new RecordingExecutor("http")]);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void The_spec_examples_validate_and_report_their_implicit_dependencies()
    {
        var result = Validate("""
              - id: run-tests
                name: tests
                type: script
                dependsOn: [build]
                config: { command: "true" }
              - id: notify-on-failure
                name: notify
                type: agent
                config:
                  agent: notification-sender
                  prompt: "Build failed for commit {{variables.gitCommit}}: {{ steps.run-tests.output.summary }} ({{ agent.role }}, {{ parameters.channel }})"
                  parameters:
                    channel: "#{{ agent.name }}"
                condition: "steps.run-tests.success === false && env.NODE_ENV === 'production' || failure()"
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(["run-tests"], result.ImplicitDependencies["notify-on-failure"]);
    }
}
