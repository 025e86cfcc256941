using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Examples;

public sealed class ExampleTests
{
    public static TheoryData<string> Files() =>
        [.. Repository.ExampleFiles().Select(Repository.ExampleName)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_loads_and_validates_without_any_diagnostic(string name)
    {
        var result = WorkflowValidator.ValidateFile(Path.Combine(Repository.Examples, name));

        // agents.yaml shows undefined agent names routed to its `default` agent, which the validator points out (FL4002).
        var expected = name == "agents.yaml" ? result.Diagnostics.Where(d => d.Code == "FL4002").ToList() : [];
        Assert.Empty(result.Diagnostics.Except(expected).Select(d => d.ToString()));
        Assert.Equal(name == "agents.yaml" ? 2 : 0, expected.Count);
        Assert.True(result.IsValid);
        Assert.NotEmpty(result.Definition!.Steps);
    }

    [Fact]
    public void Examples_hold_every_workflow_of_the_spec_and_hello()
    {
        string[] expected =
        [
            "agents.yaml", "automatic-parallel.yaml", "basic-dependencies.yaml", "cached-build.yaml", "complete-ci-cd.yaml", "complex-parallel.yaml",
            "conditional-execution.yaml", "continue-on-error.yaml", "environment.yaml", "hello.yaml", "matrix.yaml",
            "parallel-error-handling.yaml", "quick-start.yaml", "resource-management.yaml", "retries.yaml", "reuse/deploy.yaml", "reuse/main.yaml", "secrets.yaml", "step-parallel.yaml",
            "variable-substitution.yaml", "variables.yaml", "workflow-parallel.yaml",
        ];

        Assert.Equal(expected, Repository.ExampleFiles().Select(Repository.ExampleName));
    }

    [Fact]
    public void Complete_ci_cd_example_keeps_the_spec_structure()
    {
        var definition = WorkflowLoader.LoadFile(Path.Combine(Repository.Examples, "complete-ci-cd.yaml")).Definition!;

        Assert.Equal("1.2.0", definition.Version);
        Assert.Equal(TimeSpan.FromMinutes(30), definition.Timeout);
        Assert.Equal(11, definition.Steps.Count);
        Assert.Equal("true", definition.Env["CI"]);
        var deploy = definition.Steps.Single(s => s.Id == "deploy-production");
        Assert.Equal("env.NODE_ENV === 'production' && variables.deployProduction === true", deploy.Condition);
        Assert.Equal(["integration-tests"], deploy.DependsOn);
        Assert.Equal("network", deploy.Parallel!.Resource);
        var scan = Assert.IsType<AgentStepConfig>(definition.Steps.Single(s => s.Id == "security-scan").Config);
        Assert.Equal("security-scanner", scan.Agent);
        Assert.Contains("{{steps.build.output}}", scan.Prompt, StringComparison.Ordinal);
        Assert.Equal(true, scan.Parameters["scanDependencies"]);
        Assert.Equal(new object?[] { "ci", "cd", "automation", "parallel" }, (IEnumerable<object?>)definition.Metadata["tags"]!);
    }
}
