using System.Globalization;
using System.Text;
using Flowline.Core.Tests.Support;

namespace Flowline.Core.Tests.Validation;

/// <summary>Correctness at the size of the performance bar (10,000 steps); the timing lives in the benchmark.</summary>
public sealed class LargeWorkflowTests
{
    private const int StepCount = 10_000;

    internal static string Generate(int steps, bool closeACycle = false)
    {
        var text = new StringBuilder(steps * 200);
        text.Append("name: Large\nversion: 1.0.0\nparallel:\n  defaultMaxConcurrency: 8\n  resources: { cpu: 4 }\nenv:\n  CI: true\nsteps:\n");
        for (var i = 0; i < steps; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - id: step-{i}\n    name: Step {i}\n    type: script\n    config:\n      command: echo\n      args: [\"{i}\"]\n      timeout: 30s\n");
            if (i > 0 || closeACycle)
            {
                var first = closeACycle && i == 0 ? steps - 1 : i - 1;
                text.Append(CultureInfo.InvariantCulture, $"    dependsOn: [step-{first}{(i > 2 ? $", step-{i / 2}" : string.Empty)}]\n");
            }

            if (i % 10 == 0)
            {
                text.Append("    parallel: { resource: cpu }\n");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void A_ten_thousand_step_workflow_loads_and_validates_without_diagnostics()
    {
        using var file = new TempFile(Generate(StepCount));

        var result = WorkflowValidator.ValidateFile(file.Path);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(StepCount, result.Definition!.Steps.Count);
        Assert.Equal("step-9999", result.Definition.Steps[^1].Id);
        Assert.Equal(["step-9998", "step-4999"], result.Definition.Steps[^1].DependsOn);
        Assert.Equal(new SourceLocation(file.Path, 9 + (9999 * 8) + 1000 - 1, 9), result.Definition.Source!.Locate("/steps/9999/id"));
    }

    [Fact]
    public void A_ten_thousand_step_cycle_is_reported_once_with_its_path()
    {
        var result = WorkflowValidator.ValidateText(Generate(StepCount, closeACycle: true), "cycle.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.DependencyCycle, "step-0"), (error.Code, error.StepId));
        Assert.StartsWith("Steps depend on each other in a cycle (each waits for the next): step-0 -> step-9999 -> ", error.Message, StringComparison.Ordinal);
    }
}
