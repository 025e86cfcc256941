using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Planning;

/// <summary>
/// Planning <c>type: workflow</c> steps (issue 14 §2): children are loaded, validated and planned with their parent,
/// recursively; their errors are located in their own file with the chain of files that led there.
/// </summary>
public sealed class ChildWorkflowPlanningTests : IDisposable
{
    private readonly TempFolder _dir = new("flowline-children-");

    public void Dispose() => _dir.Dispose();

    private static string Workflow(string name, string steps, string header = "") =>
        $"name: {name}\nversion: 1.0.0\n{header}\nsteps:\n{steps}";

    private static string Use(string id, string path, string extra = "") =>
        $"  - id: {id}\n    name: {id}\n    type: workflow\n    config:\n      path: {path}\n{extra}";

    private static string Echo(string id, string text = "hi", string extra = "") =>
        $"  - id: {id}\n    name: {id}\n    type: script\n    config:\n      command: echo\n      args: [\"{text}\"]\n{extra}";

    private string Deploy() => _dir.Write("deploy.yaml", Workflow(
        "deploy",
        Echo("push") + Echo("verify", "{{ steps.push.output }}"),
        "variables:\n  environment: { type: string, required: true }\n  replicas: { type: number, default: 1 }\noutputs:\n  url: \"{{ steps.push.output }}\""));

    private ValidationResult Validate(string name, string text) => WorkflowValidator.ValidateFile(_dir.Write(name, text));

    [Fact]
    public void A_valid_child_is_planned_with_its_parent_and_each_use_is_an_instance_of_its_own()
    {
        Deploy();
        var result = Validate("main.yaml", Workflow("main",
            Use("staging", "./deploy.yaml", "      variables: { environment: staging }\n")
            + Use("production", "./deploy.yaml", "      variables: { environment: production, replicas: 3 }\n")
            + Echo("after", "{{ steps.staging.output.url }}")));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var plan = result.Plan!;
        Assert.Equal(["production", "staging"], plan.Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["push", "verify"], plan.Children["staging"].Plan.Steps.Select(static s => s.Id));
        Assert.Equal(plan.Children["staging"].FullPath, plan.Children["production"].FullPath);
        Assert.True(plan.Steps.Single(static s => s.Id == "staging").HoldsNoSlot);
        Assert.Equal(["staging"], plan.Steps.Single(static s => s.Id == "after").ImplicitDependencies);
    }

    [Fact]
    public void Children_of_children_are_planned_too()
    {
        Deploy();
        _dir.Write("release.yaml", Workflow("release", Use("deploy", "./deploy.yaml", "      variables: { environment: staging }\n")));
        var result = Validate("main.yaml", Workflow("main", Use("release", "./release.yaml")));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(["push", "verify"], result.Plan!.Children["release"].Plan.Children["deploy"].Plan.Steps.Select(static s => s.Id));
    }

    [Fact]
    public void A_missing_path_or_an_unknown_config_key_is_FL1170()
    {
        var result = Validate("main.yaml", Workflow("main", "  - id: w\n    name: w\n    type: workflow\n    config:\n      pth: ./x.yaml\n"));

        var errors = result.Errors.Where(static e => e.Code == DiagnosticCodes.InvalidWorkflowStepConfig).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, static e => e.Message.Contains("without config.path", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Message.Contains("Did you mean 'path'?", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_is_FL1171_with_the_path_tried()
    {
        var result = Validate("main.yaml", Workflow("main", Use("w", "./nope.yaml")));

        var error = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticCodes.ChildWorkflowNotFound, error.Code);
        Assert.Contains(Path.Combine(_dir.Path, "nope.yaml"), error.Message, StringComparison.Ordinal);
        Assert.Equal((9, 13), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void A_cycle_of_files_is_FL1172_naming_the_chain()
    {
        _dir.Write("b.yaml", Workflow("b", Use("use-a", "./a.yaml")));
        var result = Validate("a.yaml", Workflow("a", Use("use-b", "./b.yaml")));

        var cycle = Assert.Single(result.Errors, static e => e.Code == DiagnosticCodes.ChildWorkflowCycle);
        Assert.Matches(@"a\.yaml → \S*b\.yaml → \S*a\.yaml", cycle.Message);
        Assert.EndsWith("b.yaml", cycle.Location!.File, StringComparison.Ordinal);
        Assert.Contains("(included from ", cycle.Message, StringComparison.Ordinal);
        Assert.Contains(result.Errors, static e => e.Code == DiagnosticCodes.ChildWorkflowInvalid);
    }

    [Fact]
    public void A_file_that_includes_itself_is_a_cycle_too()
    {
        var result = Validate("self.yaml", Workflow("self", Use("again", "./self.yaml")));

        Assert.Equal(DiagnosticCodes.ChildWorkflowCycle, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Unknown_and_missing_child_variables_are_FL1173_with_a_suggestion_and_FL1174()
    {
        Deploy();
        var result = Validate("main.yaml", Workflow("main", Use("w", "./deploy.yaml", "      variables: { enviroment: staging }\n")));

        var unknown = Assert.Single(result.Errors, static e => e.Code == DiagnosticCodes.UnknownChildVariable);
        Assert.Contains("Did you mean 'environment'?", unknown.Message, StringComparison.Ordinal);
        var missing = Assert.Single(result.Errors, static e => e.Code == DiagnosticCodes.MissingChildVariable);
        Assert.Contains("'environment'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_in_the_child_is_located_in_the_child_file_and_names_where_it_was_included_from()
    {
        _dir.Write("child.yaml", Workflow("child", Echo("s", "{{ steps.nothere.output }}")));
        var result = Validate("main.yaml", Workflow("main", Echo("first") + Use("inner", "./child.yaml")));

        var inChild = Assert.Single(result.Errors, static e => e.Code == DiagnosticCodes.UnknownStepReference);
        Assert.EndsWith("child.yaml", inChild.Location!.File, StringComparison.Ordinal);
        Assert.Matches(@"\(included from \S*main\.yaml:15:13\)", inChild.Message);
        Assert.Equal("inner/s", inChild.StepId);
        var atStep = Assert.Single(result.Errors, static e => e.Code == DiagnosticCodes.ChildWorkflowInvalid);
        Assert.EndsWith("main.yaml", atStep.Location!.File, StringComparison.Ordinal);
        Assert.False(result.Plan!.CanRun);
    }

    [Fact]
    public void Outputs_that_read_an_unknown_step_are_FL3040_and_reading_an_undeclared_child_output_is_FL3041()
    {
        var child = Validate("child.yaml", Workflow("child", Echo("push"), "outputs:\n  url: \"{{ steps.psh.output }}\""));
        var output = Assert.Single(child.Errors);
        Assert.Equal(DiagnosticCodes.InvalidWorkflowOutput, output.Code);
        Assert.Contains("Did you mean 'push'?", output.Message, StringComparison.Ordinal);

        Deploy();
        var parent = Validate("main.yaml", Workflow("main",
            Use("w", "./deploy.yaml", "      variables: { environment: staging }\n") + Echo("after", "{{ steps.w.output.ur }}")));
        var read = Assert.Single(parent.Errors);
        Assert.Equal(DiagnosticCodes.UnknownChildOutput, read.Code);
        Assert.Contains("Did you mean 'url'?", read.Message, StringComparison.Ordinal);
    }
}
