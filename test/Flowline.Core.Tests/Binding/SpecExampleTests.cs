using static Flowline.Core.Tests.Binding.BindingKit;

namespace Flowline.Core.Tests.Binding;

/// <summary>The spec's "Variable and Context Management" and "Conditional Execution" examples, run end to end.</summary>
public sealed class SpecExampleTests
{
    [Fact]
    public async Task Step_env_overrides_workflow_env_in_templates_and_in_the_process()
    {
        var result = await RunAsync("""
            name: Environment Example
            version: 1.0.0
            env:
              NODE_ENV: production
              API_URL: https://api.example.com
            steps:
              - id: deploy
                name: Deploy to Staging
                type: script
                config:
                  command: sh
                  args: ["-c", "echo \"$1|$NODE_ENV|$DEPLOY_ENV|$DATABASE_URL\"", "sh", "{{ env.NODE_ENV }} {{ env.DEPLOY_ENV }} {{ env.API_URL }}"]
                  env:
                    DEPLOY_ENV: staging
                    NODE_ENV: test
                    DATABASE_URL: postgres://localhost/{{ env.DEPLOY_ENV }}
            """);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal("test staging https://api.example.com|test|staging|postgres://localhost/staging", result.Out("deploy"));
    }

    [Fact]
    public async Task Runtime_variables_and_a_named_output_fill_the_notification_prompt()
    {
        var result = await RunAsync(
            """
            name: Substitution
            version: 1.0.0
            steps:
              - id: run-tests
                name: Run tests
                type: script
                config:
                  command: sh
                  args: ["-c", "echo 'summary=42 passed, 0 failed' >> \"$FLOWLINE_OUTPUT\""]
              - id: notify
                name: Send Notification
                type: agent
                dependsOn: [run-tests]
                config:
                  agent: notification-sender
                  prompt: |
                    Build {{variables.buildNumber}} completed successfully.
                    Commit: {{variables.gitCommit}}
                    Target: {{variables.deployTarget}}
                    Test results: {{steps.run-tests.output.summary}}
            """ + EchoAgents,
            Vars(("buildNumber", 1234), ("gitCommit", "abc123"), ("deployTarget", "staging")));

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(
            "Build 1234 completed successfully.\nCommit: abc123\nTarget: staging\nTest results: 42 passed, 0 failed",
            result.Out("notify"));
    }

    [Theory]
    [InlineData("production", StepStatus.Completed)]
    [InlineData("development", StepStatus.Skipped)]
    public async Task A_production_only_step_runs_only_in_production(string nodeEnv, StepStatus expected)
    {
        var result = await RunAsync($$"""
            name: Conditional
            version: 1.0.0
            env:
              NODE_ENV: {{nodeEnv}}
            steps:
              - id: run-tests
                name: Tests
                type: script
                config: { command: "true" }
              - id: deploy-production
                name: Deploy to Production
                type: script
                config: { command: "true" }
                condition: "env.NODE_ENV === 'production'"
                dependsOn: ["run-tests"]
            """);

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(expected, result.Step("deploy-production").Status);
        Assert.True(result.Step("deploy-production").Success || expected == StepStatus.Skipped);
        if (expected == StepStatus.Skipped)
        {
            Assert.Equal("skipped: condition 'env.NODE_ENV === 'production'' was false", result.Step("deploy-production").SkipReason);
        }
    }

    private const string NotifyOnFailure = """
        name: Notify
        version: 1.0.0
        steps:
          - id: run-tests
            name: Tests
            type: script
            config:
              command: sh
              args: ["-c", "echo 'FAILED: 2 tests'; exit {{ variables.exitCode }}"]
          - id: deploy-production
            name: Deploy
            type: script
            config: { command: "true" }
            dependsOn: ["run-tests"]
          - id: notify-on-failure
            name: Send Failure Notification
            type: agent
            config:
              agent: notification-sender
              prompt: "Build failed for commit {{variables.gitCommit}}: {{ steps.run-tests.output }}"
            condition: "steps.run-tests.success === false"
        """ + EchoAgents;

    [Fact]
    public async Task The_failure_notification_runs_when_the_tests_fail_and_the_run_still_fails()
    {
        var result = await RunAsync(NotifyOnFailure, Vars(("exitCode", 1), ("gitCommit", "abc123")));

        Assert.Equal(WorkflowStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Step("run-tests").Status);
        Assert.Equal(StepStatus.Skipped, result.Step("deploy-production").Status);
        Assert.Equal("skipped: step 'run-tests' failed", result.Step("deploy-production").SkipReason);
        Assert.Equal(StepStatus.Completed, result.Step("notify-on-failure").Status);
        Assert.Equal("Build failed for commit abc123: FAILED: 2 tests", result.Out("notify-on-failure"));
    }

    [Fact]
    public async Task The_failure_notification_is_skipped_when_the_tests_pass()
    {
        var result = await RunAsync(NotifyOnFailure, Vars(("exitCode", 0), ("gitCommit", "abc123")));

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(StepStatus.Completed, result.Step("deploy-production").Status);
        Assert.Equal(StepStatus.Skipped, result.Step("notify-on-failure").Status);
        Assert.True(result.Step("notify-on-failure").Success);
        Assert.Equal(0, result.Step("notify-on-failure").Attempts);
    }

    private const string Pipeline = """
        name: Complete CI/CD Pipeline
        version: 1.2.0
        env:
          NODE_ENV: production
          CI: true
        steps:
          - id: build
            name: Build
            type: script
            config: { command: "true" }
          - id: deploy-staging
            name: Deploy to Staging
            type: script
            config: { command: "true" }
            dependsOn: ["build"]
            condition: "variables.deployStaging === true"
          - id: integration-tests
            name: Run Integration Tests
            type: script
            config: { command: "true" }
            dependsOn: ["deploy-staging"]
            condition: "variables.deployStaging === true"
          - id: deploy-production
            name: Deploy to Production
            type: script
            config:
              command: echo
              args: ["deployed {{ workflow.name }} {{ workflow.version }}"]
            dependsOn: ["integration-tests"]
            condition: "env.NODE_ENV === 'production' && variables.deployProduction === true"
          - id: notify-success
            name: Notify
            type: agent
            config:
              agent: notification-sender
              prompt: "Staging: {{ steps.deploy-staging.status }}, production: {{ steps.deploy-production.status }}"
            dependsOn: ["deploy-production"]
            continueOnError: true
        """ + EchoAgents;

    [Fact]
    public async Task Without_deployStaging_the_staging_steps_are_skipped_and_their_dependents_still_run()
    {
        var result = await RunAsync(Pipeline, Vars(("deployProduction", true)));

        Assert.Equal(WorkflowStatus.Completed, result.Status);
        Assert.Equal(StepStatus.Skipped, result.Step("deploy-staging").Status);
        Assert.Equal(StepStatus.Skipped, result.Step("integration-tests").Status);
        Assert.Equal(StepStatus.Completed, result.Step("deploy-production").Status);
        Assert.Equal("deployed Complete CI/CD Pipeline 1.2.0", result.Out("deploy-production"));
        Assert.Equal("Staging: skipped, production: completed", result.Out("notify-success"));
    }

    [Fact]
    public async Task With_deployStaging_and_without_deployProduction_only_production_is_skipped()
    {
        var result = await RunAsync(Pipeline, Vars(("deployStaging", true)));

        Assert.Equal(StepStatus.Completed, result.Step("deploy-staging").Status);
        Assert.Equal(StepStatus.Completed, result.Step("integration-tests").Status);
        Assert.Equal(StepStatus.Skipped, result.Step("deploy-production").Status);
        Assert.Equal("Staging: completed, production: skipped", result.Out("notify-success"));
    }
}
