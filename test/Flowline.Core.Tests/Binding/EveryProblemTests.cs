namespace Flowline.Core.Tests.Binding;

/// <summary>
/// Every problem of a template at once (issue 19, docs/diagnostics.md): validation reports each failing part at its
/// own column, and a step that cannot be rendered names every undefined reference in its one error.
/// </summary>
public sealed class EveryProblemTests
{
    private static string Workflow(string args) => $"""
        name: every
        version: 1.0.0
        steps:
          - id: show
            name: show
            type: script
            config:
              command: echo
              args: {args}
        """;

    [Fact]
    public void Validation_reports_each_failing_part_of_a_template_at_its_own_column()
    {
        const string arg = "{{missing1}} and {{missing2}} and {{ nosuch(1) }}";

        var errors = WorkflowValidator.ValidateText(Workflow($"[\"{arg}\"]"), "flow.yaml").Errors;

        // The argument's text starts at column 15 of line 9 (after `args: ["`); diagnostics come in source order.
        Assert.Equal(
            [("FL3010", 9, 15 + 2), ("FL3010", 9, 15 + arg.IndexOf("missing2", StringComparison.Ordinal)), ("FL3003", 9, 15 + arg.IndexOf("nosuch", StringComparison.Ordinal))],
            errors.Select(e => (e.Code, e.Location!.Line, e.Location.Column)));
        Assert.All(errors, e => Assert.Equal("show", e.StepId));
        Assert.Contains("unknown function 'nosuch'", errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("reads 'missing2', but 'missing2' is not a known root", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_reports_a_broken_hole_in_each_of_two_arguments()
    {
        var errors = WorkflowValidator.ValidateText(Workflow("[\"{{ nosuch(1) }}\", \"{{ a = b }}\"]"), "flow.yaml").Errors;

        Assert.Equal(["FL3003", "FL3001"], errors.Select(e => e.Code));
        Assert.NotEqual(errors[0].Location!.Column, errors[1].Location!.Column);
    }

    [Fact]
    public async Task A_step_with_two_undefined_references_names_both_in_its_error()
    {
        var result = await BindingKit.RunAsync(Workflow("[\"{{ variables.first }}-{{ variables.second }}\", \"{{ env.THIRD }}\"]"));

        var step = result.Step("show");
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal(
            "config.args[0]: 2 parts cannot be rendered: (1) variables.first is not defined: pass --var first=… or write {{ variables.first || 'default' }}; "
            + "(2) variables.second is not defined: pass --var second=… or write {{ variables.second || 'default' }}; "
            + "config.args[1]: env.THIRD is not defined: set THIRD under env: in the workflow or step, or write {{ env.THIRD || 'default' }}",
            step.Error);
    }
}
