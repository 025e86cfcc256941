namespace Flowline.Cli.Tests;

/// <summary>A workflow's <c>variables:</c> block through <c>flowline run</c> and <c>validate</c> (issue 13, docs/variables.md).</summary>
public sealed class RunDeclaredVariablesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Flow() => _dir.Write("deploy.yaml", Workflows.Of("deploy", """
        variables:
          branch: main
          replicas: { type: number, required: true, description: "How many instances" }
          environment: { type: string, enum: [staging, production], default: staging }
        """,
        Workflows.Sh("show", $"echo \"{{{{ variables.branch }}}} {{{{ variables.replicas }}}} {{{{ variables.environment }}}}\" > {_dir.File("out.txt")}")));

    [Fact]
    public async Task Defaults_fill_in_what_was_not_given()
    {
        var run = await CliRunner.RunAsync("run", Flow(), "--var", "replicas=3", "--no-state", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("main 3 staging\n", File.ReadAllText(_dir.File("out.txt")));
    }

    [Fact]
    public async Task Bad_values_exit_2_listing_every_problem_before_any_step_starts()
    {
        var vars = _dir.Write("vars.yaml", "environment: prod\n");

        var run = await CliRunner.RunAsync("run", Flow(), "--vars-file", vars, "--var", "replcas=3", "--var", "branch=dev", "--no-state");

        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(_dir.File("out.txt")));
        Assert.Contains("error FL1134: Variable 'replcas' is given a value but the workflow does not declare it. Did you mean 'replicas'?", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FL1133: Variable 'environment' was given \"prod\", which is not one of its allowed values: staging, production. Did you mean 'production'?", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FL1135: Variable 'replicas' is required but was not given", run.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"deploy\.yaml:\d+:\d+: error FL1135", run.Stderr);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_exits_2()
    {
        var run = await CliRunner.RunAsync("run", Flow(), "--var", "replicas=many", "--no-state");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Variable 'replicas' is a number but was given \"many\"", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_verbose_lists_the_declared_variables()
    {
        var run = await CliRunner.RunAsync("validate", "--verbose", Flow());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--var branch=<string>", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"--var replicas=<number>\s+How many instances \(required\)", run.Stdout);
        Assert.Matches(@"--var environment=<staging\|production>\s+\[default: staging\]", run.Stdout);
    }

    [Fact]
    public async Task Run_help_shows_the_workflows_variables_as_its_options()
    {
        var run = await CliRunner.RunAsync("run", Flow(), "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--vars-file", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Workflow variables of deploy.yaml", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"--var replicas=<number>\s+How many instances \(required\)", run.Stdout);
    }

    [Fact]
    public async Task Validate_rejects_a_reference_to_an_undeclared_variable_with_did_you_mean()
    {
        var flow = _dir.Write("typo.yaml", Workflows.Of("typo", "variables:\n  branch: main\n", Workflows.Sh("a", "echo {{ variables.brnch }}")));

        var run = await CliRunner.RunAsync("validate", flow);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"typo\.yaml:\d+:\d+: error FL3015: .*Did you mean 'branch'\?", run.Stderr);
    }

    [Fact]
    public async Task A_workflow_without_declarations_takes_any_variable_as_before()
    {
        var flow = _dir.Write("free.yaml", Workflows.Of("free", "", Workflows.Sh("a", $"echo {{{{ variables.anything }}}} > {_dir.File("out.txt")}")));

        var run = await CliRunner.RunAsync("run", flow, "--var", "anything=ok", "--no-state", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("ok\n", File.ReadAllText(_dir.File("out.txt")));
    }
}
