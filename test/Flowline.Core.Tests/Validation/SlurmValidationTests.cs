using Flowline.Testing;
using static Flowline.Core.Tests.Planning.ExecutorBackendTests;

namespace Flowline.Core.Tests.Validation;

/// <summary>Issue 12: what validation says about where steps run and their <c>slurm:</c> blocks (docs/slurm.md "Validation").</summary>
public sealed class SlurmValidationTests
{
    [Fact]
    public void Executor_slurm_on_a_custom_step_is_an_error_while_the_workflows_does_not_apply_to_it()
    {
        var workflow = Load(Flow("executor: slurm", """
            - id: a
              name: A
              type: fake
              config: {}
            - id: b
              name: B
              type: fake
              executor: slurm
              config: {}
            """));

        var result = Runner().Validate(workflow);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.ExecutorNotForType, "b", 12, 15), (error.Code, error.StepId, error.Location!.Line, error.Location.Column));
        Assert.Contains("only script steps can run on slurm; 'fake' steps always run locally", error.Message, StringComparison.Ordinal);
        Assert.Equal(["local", "local"], result.Plan!.Steps.Select(s => s.Backend));
        Assert.False(result.Plan.CanRun);
    }

    [Fact]
    public void Executor_slurm_on_an_agent_step_is_an_error_and_executor_local_is_fine()
    {
        var result = WorkflowValidator.ValidateText(Flow("", """
            - id: a
              name: A
              type: agent
              executor: slurm
              config: { agent: helper, prompt: hi }
            - id: b
              name: B
              type: agent
              executor: local
              config: { agent: helper, prompt: hi }
            """), "flow.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal((DiagnosticCodes.ExecutorNotForType, "a", 8, 15), (error.Code, error.StepId, error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void A_slurm_block_on_a_step_that_runs_locally_is_a_warning_that_says_why()
    {
        var workflow = Load(Flow("", """
            - id: a
              name: A
              type: script
              slurm: { cpusPerTask: 4 }
              config: { command: "true" }
            - id: b
              name: B
              type: fake
              slurm: { cpusPerTask: 4 }
              config: {}
            """));

        var result = Runner().Validate(workflow);

        Assert.True(result.IsValid);
        Assert.Equal([(DiagnosticCodes.SlurmOptionsUnused, 8, 12), (DiagnosticCodes.SlurmOptionsUnused, 13, 12)],
            result.Warnings.Select(w => (w.Code, w.Location!.Line, w.Location.Column)));
        Assert.Contains("has no effect: the step runs locally", result.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("'fake' steps always run locally", result.Warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runs_executor_reaches_validation_so_a_step_it_moves_off_slurm_is_checked_as_local()
    {
        var workflow = Load(Flow("executor: slurm\nparallel: { resources: { db: { size: 1, slurmLicense: db } } }", """
            - id: a
              name: A
              type: script
              slurm: { memory: 1G }
              config: { command: "true" }
              parallel: { resource: db }
            """));
        var runner = Runner();

        var asWritten = runner.Validate(workflow);
        var local = runner.Validate(workflow, executor: "local");

        Assert.Empty(asWritten.Diagnostics);
        Assert.Equal([DiagnosticCodes.SlurmOptionsUnused, DiagnosticCodes.SlurmLicensePoolRunsLocally], local.Diagnostics.Select(d => d.Code));
        Assert.All(local.Diagnostics, d => Assert.Contains("(the run's executor is 'local')", d.Message, StringComparison.Ordinal));
        Assert.False(local.Plan!.CanRun);
    }

    [Fact]
    public void A_license_pool_on_a_custom_step_is_an_error_that_says_such_steps_stay_local()
    {
        var workflow = Load(Flow("parallel: { resources: { db: { size: 1, slurmLicense: db } } }", """
            - id: a
              name: A
              type: fake
              config: {}
              parallel: { resource: db }
            """));

        var error = Assert.Single(Runner().Validate(workflow).Diagnostics);

        Assert.Equal(DiagnosticCodes.SlurmLicensePoolRunsLocally, error.Code);
        Assert.Contains("'fake' steps always run locally, so give it a pool without 'slurmLicense'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_and_intervals_of_a_steps_slurm_block_are_checked_at_their_values()
    {
        var workflow = Load(Flow("executor: slurm", """
            - id: a
              name: A
              type: script
              slurm: { cpusPerTask: 0, gpus: "0", queueTimeout: 0 }
              config: { command: "true" }
            """));

        var result = Runner().Validate(workflow);

        Assert.Equal([(DiagnosticCodes.NonPositiveSlurmValue, 8, 27), (DiagnosticCodes.NonPositiveSlurmValue, 8, 36), (DiagnosticCodes.NonPositiveSlurmValue, 8, 55)],
            result.Diagnostics.Select(d => (d.Code, d.Location!.Line, d.Location.Column)));
        Assert.All(result.Diagnostics, d => Assert.Equal("a", d.StepId));
        Assert.Contains("The 'slurm' block of step 'a' has 'cpusPerTask: 0'", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_built_in_code_is_checked_the_same_way_without_locations()
    {
        var workflow = new WorkflowDefinition
        {
            Name = "code",
            Version = "1.0.0",
            Executor = "slurm",
            Slurm = new SlurmOptions { MaxJobs = 0, PollInterval = TimeSpan.FromDays(60) },
            Steps = [new WorkflowStep { Id = "a", Name = "A", Type = "fake", Executor = "slurn", Config = new CustomStepConfig() }],
        };

        var result = Runner().Validate(workflow);

        Assert.Equal([DiagnosticCodes.NonPositiveSlurmValue, DiagnosticCodes.TimeoutTooLarge, DiagnosticCodes.UnknownExecutor],
            result.Diagnostics.Select(d => d.Code));
        Assert.All(result.Diagnostics, d => Assert.Null(d.Location));
        Assert.Contains("Did you mean 'slurm'?", result.Diagnostics[2].Message, StringComparison.Ordinal);
    }

    private static WorkflowRunner Runner()
    {
        var runner = new WorkflowRunner();
        runner.RegisterStepExecutor(new FakeStepExecutor("script", backend: "slurm"));
        runner.RegisterStepExecutor(new FakeStepExecutor());
        return runner;
    }

    /// <summary>A workflow with <paramref name="top"/> from line 3 and the steps (indented by the caller's two spaces) after 'steps:'.</summary>
    private static string Flow(string top, string steps) =>
        $"name: Flow\nversion: 1.0.0\n{top}\nsteps:\n{string.Join('\n', steps.Split('\n').Select(l => "  " + l))}\n";
}
